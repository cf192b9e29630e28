import { requireUser } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed, readJson } from '#lib/http/api.server.ts';
import { createTodoSchema } from '#todos/schema.server.ts';
import { TodoLimitError, createTodo, listTodos } from '#todos/queries.server.ts';

/** GET /api/todos: the signed-in user's todos, oldest first. */
export const GET = apiRoute(async ({ locals }) => {
  const user = requireUser(locals);
  return json(await listTodos(db, user.id));
});

/** POST /api/todos {content}: creates a todo; 409 todo_limit_reached at the per-user limit. */
export const POST = apiRoute(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { content } = await readJson(request, createTodoSchema);
  try {
    return json(await createTodo(db, user.id, content), 201);
  } catch (error) {
    if (error instanceof TodoLimitError) throw new HttpError(409, 'todo_limit_reached', error.message);
    throw error;
  }
});

export const ALL = methodNotAllowed(['GET', 'POST']);
