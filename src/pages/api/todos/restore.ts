import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed, readJson } from '#lib/http/api.server.ts';
import { restoreTodosSchema } from '#todos/schema.server.ts';
import { TodoLimitError, restoreTodos } from '#todos/queries.server.ts';

/**
 * POST /api/todos/restore {ids}: undoes deletes made within the undo window; 200 the restored todos,
 * oldest first. 404 when none of the ids is the user's recently deleted todo; 409
 * todo_limit_reached (nothing restored) when they wouldn't fit. One statement: session and restore.
 */
export const POST = apiRoute(
  signedInHandler(db, async ({ request }, owner, unauthorized) => {
    const { ids } = await readJson(request, restoreTodosSchema);
    let restored;
    try {
      restored = await restoreTodos(db, owner, ids);
    } catch (error) {
      if (error instanceof TodoLimitError) throw new HttpError(409, 'todo_limit_reached', error.message);
      throw error;
    }
    if (!restored) throw unauthorized();
    if (restored.length === 0) {
      throw new HttpError(404, 'not_found', 'Nothing to restore: the undo window has passed, or no such deleted todo.');
    }
    return json(restored);
  }),
);

export const ALL = methodNotAllowed(['POST']);
