import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { apiRoute, json, methodNotAllowed, readJson } from '#lib/http/api.server.ts';
import { completeAllSchema } from '#todos/schema.server.ts';
import { setAllCompleted } from '#todos/queries.server.ts';

/** POST /api/todos/complete-all {completed}: sets every todo of the user; 200 the whole list. */
export const POST = apiRoute(
  signedInHandler(db, async ({ request }, owner, unauthorized) => {
    const { completed } = await readJson(request, completeAllSchema);
    const todos = await setAllCompleted(db, owner, completed);
    if (!todos) throw unauthorized();
    return json(todos);
  }),
);

export const ALL = methodNotAllowed(['POST']);
