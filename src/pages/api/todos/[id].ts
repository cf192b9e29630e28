import { requireUser } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed, noContent, readJson } from '#lib/http/api.server.ts';
import { parseTodoId, updateTodoSchema } from '#todos/schema.server.ts';
import { deleteTodo, updateTodo } from '#todos/queries.server.ts';

function todoId(raw: string | undefined): number {
  const id = parseTodoId(raw);
  if (id === null) throw new HttpError(400, 'invalid_id', 'The todo id must be a positive whole number.');
  return id;
}

const notFound = () => new HttpError(404, 'not_found', 'No such todo.');

/** PATCH /api/todos/:id {completed?, content?}: sets the given fields. */
export const PATCH = apiRoute(async ({ locals, params, request }) => {
  const user = requireUser(locals);
  const id = todoId(params.id);
  const patch = await readJson(request, updateTodoSchema);
  const todo = await updateTodo(db, user.id, id, patch);
  if (!todo) throw notFound();
  return json(todo);
});

/** DELETE /api/todos/:id */
export const DELETE = apiRoute(async ({ locals, params }) => {
  const user = requireUser(locals);
  if (!(await deleteTodo(db, user.id, todoId(params.id)))) throw notFound();
  return noContent();
});

export const ALL = methodNotAllowed(['PATCH', 'DELETE']);
