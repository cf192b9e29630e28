/** Sign-out: the session row goes, so the cookie is worthless even if a copy is kept. */
import type { AstroCookies } from 'astro';
import type { Queryable } from '#lib/db/index.server.ts';
import { clearSessionCookies, sessionToken } from './session-cookie.server.ts';
import { hashSessionToken } from './session-token.server.ts';

/** Ends one session by the cookie's raw token. */
export async function deleteSession(database: Queryable, token: string): Promise<void> {
  await database.query('DELETE FROM sessions WHERE "sessionToken" = $1', [hashSessionToken(token)]);
}

/** Signs this browser out: its session row goes (if it has one) and the cookie is cleared. */
export async function signOut(database: Queryable, cookies: AstroCookies): Promise<void> {
  const token = sessionToken(cookies);
  if (token) await deleteSession(database, token);
  clearSessionCookies(cookies);
}
