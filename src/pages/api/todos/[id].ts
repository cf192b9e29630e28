import { signedInHandler } from '#lib/auth/session.server.ts';
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

/** PATCH /api/todos/:id {completed?, content?}: sets the given fields. One statement: session and update. */
export const PATCH = apiRoute(
  signedInHandler(db, async ({ params, request }, owner, unauthorized) => {
    const id = todoId(params.id);
    const patch = await readJson(request, updateTodoSchema);
    const result = await updateTodo(db, owner, id, patch);
    if (!result) throw unauthorized();
    if (!result.todo) throw notFound();
    return json(result.todo);
  }),
);

/** DELETE /api/todos/:id */
export const DELETE = apiRoute(
  signedInHandler(db, async ({ params }, owner, unauthorized) => {
    const result = await deleteTodo(db, owner, todoId(params.id));
    if (!result) throw unauthorized();
    if (!result.todo) throw notFound();
    return noContent();
  }),
);

export const ALL = methodNotAllowed(['PATCH', 'DELETE']);
