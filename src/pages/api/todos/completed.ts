import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { apiRoute, json, methodNotAllowed } from '#lib/http/api.server.ts';
import { clearCompleted } from '#todos/queries.server.ts';

/** DELETE /api/todos/completed: deletes the user's completed todos; 200 `{deletedIds}`. */
export const DELETE = apiRoute(
  signedInHandler(db, async (_context, owner, unauthorized) => {
    const deletedIds = await clearCompleted(db, owner);
    if (!deletedIds) throw unauthorized();
    return json({ deletedIds });
  }),
);

export const ALL = methodNotAllowed(['DELETE']);
