import { requireUser } from '../../../lib/auth.server.ts';
import { db } from '../../../lib/db.server.ts';
import { apiRoute, json, methodNotAllowed } from '../../../lib/http.server.ts';
import { clearCompleted } from '../../../lib/todos.server.ts';

/** DELETE /api/todos/completed: deletes the user's completed todos; 200 `{deletedIds}`. */
export const DELETE = apiRoute(async ({ locals }) => {
  const user = requireUser(locals);
  return json({ deletedIds: await clearCompleted(db, user.id) });
});

export const ALL = methodNotAllowed(['DELETE']);
