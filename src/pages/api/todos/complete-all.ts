import { requireUser } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { apiRoute, json, methodNotAllowed, readJson } from '#lib/http/api.server.ts';
import { completeAllSchema } from '#todos/schema.server.ts';
import { setAllCompleted } from '#todos/queries.server.ts';

/** POST /api/todos/complete-all {completed}: sets every todo of the user; 200 the whole list. */
export const POST = apiRoute(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { completed } = await readJson(request, completeAllSchema);
  return json(await setAllCompleted(db, user.id, completed));
});

export const ALL = methodNotAllowed(['POST']);
