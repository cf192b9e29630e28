import { requireUser } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { apiRoute, json, methodNotAllowed } from '#lib/http/api.server.ts';
import { clearCompleted } from '#todos/queries.server.ts';

/** DELETE /api/todos/completed: deletes the user's completed todos; 200 `{deletedIds}`. */
export const DELETE = apiRoute(async ({ locals }) => {
  const user = requireUser(locals);
  return json({ deletedIds: await clearCompleted(db, user.id) });
});

export const ALL = methodNotAllowed(['DELETE']);
