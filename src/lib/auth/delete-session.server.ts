/** Session rows beyond what Auth.js does itself. */
import type { Queryable } from '#lib/db/index.server.ts';
import { hashSessionToken } from './session-token.server.ts';

/** Ends one session (sign out) by the cookie's raw token: the row goes, so the cookie is worthless even if kept. */
export async function deleteSession(database: Queryable, token: string): Promise<void> {
  await database.query('DELETE FROM sessions WHERE "sessionToken" = $1', [hashSessionToken(token)]);
}
