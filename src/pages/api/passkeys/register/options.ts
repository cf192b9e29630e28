import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { apiRoute, json, methodNotAllowed } from '#lib/http/api.server.ts';
import { registrationOptions } from '#lib/passkeys/options.server.ts';

/** POST /api/passkeys/register/options: options to add a passkey. One statement: session and challenge. */
export const POST = apiRoute(
  signedInHandler(db, async (_context, owner, unauthorized) => {
    const options = await registrationOptions(db, owner);
    if (!options) throw unauthorized();
    return json(options);
  }),
);

export const ALL = methodNotAllowed(['POST']);
