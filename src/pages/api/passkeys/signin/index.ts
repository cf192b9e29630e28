import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { safeCallbackPath } from '#lib/auth/redirects.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed, readJson } from '#lib/http/api.server.ts';
import { checkPasskeyLimit } from '#lib/passkeys/limits.server.ts';
import { signInSchema } from '#lib/passkeys/schema.server.ts';
import { signInWithPasskey } from '#lib/passkeys/sign-in.server.ts';
import { clientIp } from '#lib/sign-in/client-ip.server.ts';

const REFUSALS = {
  challenge: new HttpError(
    400,
    'challenge_expired',
    'This sign-in request has expired or was already used. Please try again.',
  ),
  refused: new HttpError(
    401,
    'passkey_refused',
    'That passkey didn’t work here. Try another, or sign in with your email.',
  ),
};

/**
 * POST /api/passkeys/signin {response, callbackUrl?}: signs in with a passkey. Sets the session
 * cookie (the same database session as an email link) and answers where to go next.
 */
export const POST = apiRoute(async (context) => {
  const body = await readJson(context.request, signInSchema);
  const limit = await checkPasskeyLimit(db, 'attempt', clientIp(context));
  if (!limit.allowed) {
    throw new HttpError(429, 'too_many_requests', 'Too many sign-in attempts. Please try again later.', {
      'Retry-After': String(limit.retryAfterSeconds),
    });
  }
  const outcome = await signInWithPasskey(db, context.cookies, body.response as AuthenticationResponseJSON);
  if (!outcome.ok) throw REFUSALS[outcome.reason];
  return json({ location: safeCallbackPath(body.callbackUrl) });
});

export const ALL = methodNotAllowed(['POST']);
