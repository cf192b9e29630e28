/**
 * The session a passkey sign-in starts: the same database session an email link gives. The row is
 * written by the Auth.js adapter's own createSession (src/lib/auth/adapter.server.ts: the token
 * stored hashed, the last-sign-in trigger fires), the token is a random UUID as Auth.js makes
 * them, and the cookie is Auth.js's, with its name, options and lifetime. Everything downstream —
 * the account page, sign-out everywhere, expiry, deletion — sees no difference.
 */
import { randomUUID } from 'node:crypto';
import type { AstroCookies } from 'astro';
import { createAuthAdapter } from '#lib/auth/adapter.server.ts';
import { SESSION_MAX_AGE_SECONDS } from '#lib/auth/constants.ts';
import { sessionCookieName, sessionCookieOptions } from '#lib/auth/session-cookie.server.ts';
import type { Queryable } from '#lib/db/index.server.ts';

/** Creates a session for `userId` and sets its cookie on the response. */
export async function startSession(database: Queryable, cookies: AstroCookies, userId: number): Promise<void> {
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  const session = await createAuthAdapter(database).createSession!({
    sessionToken: randomUUID(),
    userId: String(userId),
    expires,
  });
  const name = sessionCookieName();
  cookies.set(name, session.sessionToken, { ...sessionCookieOptions(name), expires: session.expires });
}
