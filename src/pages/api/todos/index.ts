import { requireUser } from '../../../lib/auth.server.ts';
import { db } from '../../../lib/db.server.ts';
import { apiRoute, json, methodNotAllowed, readJson } from '../../../lib/http.server.ts';
import { createTodoSchema } from '../../../lib/todo-schema.ts';
import { createTodo, listTodos } from '../../../lib/todos.server.ts';

/** GET /api/todos: the signed-in user's todos, oldest first. */
export const GET = apiRoute(async ({ locals }) => {
  const user = requireUser(locals);
  return json(await listTodos(db, user.id));
});

/** POST /api/todos {content}: creates a todo. */
export const POST = apiRoute(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { content } = await readJson(request, createTodoSchema);
  return json(await createTodo(db, user.id, content), 201);
});

export const ALL = methodNotAllowed(['GET', 'POST']);
