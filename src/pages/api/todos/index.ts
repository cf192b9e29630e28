import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed, readJson } from '#lib/http/api.server.ts';
import { createTodoSchema } from '#todos/schema.server.ts';
import { TodoLimitError, createTodo, listTodos } from '#todos/queries.server.ts';

/** GET /api/todos: the signed-in user's todos, oldest first. */
export const GET = apiRoute(
  signedInHandler(db, async (_context, owner, unauthorized) => {
    const todos = await listTodos(db, owner);
    if (!todos) throw unauthorized();
    return json(todos);
  }),
);

/** POST /api/todos {content}: creates a todo; 409 todo_limit_reached at the per-user limit. */
export const POST = apiRoute(
  signedInHandler(db, async ({ request }, owner, unauthorized) => {
    const { content } = await readJson(request, createTodoSchema);
    try {
      const todo = await createTodo(db, owner, content);
      if (!todo) throw unauthorized();
      return json(todo, 201);
    } catch (error) {
      if (error instanceof TodoLimitError) throw new HttpError(409, 'todo_limit_reached', error.message);
      throw error;
    }
  }),
);

export const ALL = methodNotAllowed(['GET', 'POST']);
