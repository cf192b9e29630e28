import { db } from '#lib/db/index.server.ts';
import { HttpError, apiRoute, json, methodNotAllowed } from '#lib/http/api.server.ts';
import { checkPasskeyLimit } from '#lib/passkeys/limits.server.ts';
import { signInOptions } from '#lib/passkeys/options.server.ts';
import { clientIp } from '#lib/sign-in/client-ip.server.ts';

/** POST /api/passkeys/signin/options: a sign-in challenge (no session needed), limited per client. */
export const POST = apiRoute(async (context) => {
  const limit = await checkPasskeyLimit(db, 'options', clientIp(context));
  if (!limit.allowed) {
    throw new HttpError(429, 'too_many_requests', 'Too many sign-in attempts. Please try again later.', {
      'Retry-After': String(limit.retryAfterSeconds),
    });
  }
  return json(await signInOptions(db));
});

export const ALL = methodNotAllowed(['POST']);
