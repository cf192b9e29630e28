import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { apiRoute, json, methodNotAllowed } from '#lib/http/api.server.ts';
import { listPasskeys } from '#lib/passkeys/store.server.ts';

/** GET /api/passkeys: the signed-in person's passkeys. One statement: session and list. */
export const GET = apiRoute(
  signedInHandler(db, async (_context, owner, unauthorized) => {
    const passkeys = await listPasskeys(db, owner);
    if (!passkeys) throw unauthorized();
    return json({ passkeys });
  }),
);

export const ALL = methodNotAllowed(['GET']);
