/**
 * What Auth.js's session endpoint decides for a session token (database strategy), as one SQL
 * statement (the `me` CTE of session-owner.server.ts, which every signed-in route's own statement
 * starts with) instead of sending requests through Auth.js's HTTP handler, which per call parses a
 * request, hashes a fresh CSRF token and serializes JSON (1.6 ms of 5 ms, measured).
 *
 * The rules are Auth.js's own (@auth/core 0.41, lib/actions/session.js), tested on both backends
 * in tests/integration/session-lookup.test.ts:
 * - unknown token: no session, and the dead cookie is cleared;
 * - expired: the row is deleted, no session, and the cookie is cleared;
 * - extended more than `updateAge` ago: its expiry moves to now + `maxAge`, in the database and
 *   in the cookie.
 * One difference, on purpose: Auth.js sends the cookie again on every read; here it is sent only
 * when the expiry moved, so responses carry no Set-Cookie in the common case and the cookie
 * expires together with its row.
 */
import type { AdapterUser } from '@auth/core/adapters';
import type { Queryable } from '#lib/db/index.server.ts';
import { isPlausibleToken, sessionOwner, type MeColumns, type RequestSession } from './session-owner.server.ts';

/** The user as the app sees it (also what Auth.js's own session endpoint returns, see auth.config.ts). */
export function toSessionUser(user: AdapterUser): SessionUser {
  return { id: Number(user.id), email: user.email, name: user.name ?? null };
}

/** What the session cookie needs: nothing, removal, or a new expiry. */
type SessionCookieChange = { action: 'keep' } | { action: 'clear' } | { action: 'extend'; expires: Date };

export interface SessionLookup {
  session: Omit<RequestSession, 'token'> | null;
  cookie: SessionCookieChange;
}

/** The session for a raw token as of `now`, in one statement (none for a token that can't be one). */
export async function lookUpSession(database: Queryable, token: string, now = Date.now()): Promise<SessionLookup> {
  if (!isPlausibleToken(token)) return { session: null, cookie: { action: 'clear' } };
  const owner = sessionOwner(token, now);
  const { rows } = await database.query<MeColumns>(`WITH ${owner.cte} SELECT * FROM me`, [...owner.params]);
  owner.seen(rows[0]);
  const { session } = owner;
  if (!session) return { session: null, cookie: { action: 'clear' } };
  return {
    session: { user: session.user, expires: session.expires },
    cookie: owner.extended ? { action: 'extend', expires: new Date(session.expires) } : { action: 'keep' },
  };
}
