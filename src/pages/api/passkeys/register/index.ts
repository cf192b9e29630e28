import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { signedInHandler } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed, readJson } from '#lib/http/api.server.ts';
import { registerPasskey } from '#lib/passkeys/register.server.ts';
import { registerSchema } from '#lib/passkeys/schema.server.ts';

const REFUSALS = {
  invalid: new HttpError(400, 'passkey_invalid', 'The browser’s answer could not be verified. Please try again.'),
  challenge: new HttpError(400, 'challenge_expired', 'This request has expired or was already used. Please try again.'),
  duplicate: new HttpError(409, 'passkey_exists', 'This passkey is already registered.'),
};

/**
 * POST /api/passkeys/register {response, name?}: verifies the browser's answer and adds the
 * passkey. One statement (session, challenge spent, passkey stored); 201 with the new passkey.
 */
export const POST = apiRoute(
  signedInHandler(db, async ({ request }, owner, unauthorized) => {
    const body = await readJson(request, registerSchema);
    const outcome = await registerPasskey(db, owner, body.response as RegistrationResponseJSON, body.name);
    if (!outcome) throw unauthorized();
    if (!outcome.ok) throw REFUSALS[outcome.reason];
    return json(outcome.passkey, 201);
  }),
);

export const ALL = methodNotAllowed(['POST']);
