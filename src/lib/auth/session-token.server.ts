/**
 * Session tokens at rest: the cookie holds the random token, the sessions table only its SHA-256,
 * so a copy of the database (a backup, a replica, a log of statements) holds no live session.
 * Every statement that finds a session by its token takes `hashSessionToken(cookieValue)`.
 *
 * A plain hash, no salt or key: the token is 122+ random bits (Auth.js's UUID), so it can't be
 * guessed from its hash, and the lookup must stay one indexed equality. Migration 0005 converts
 * rows stored before this with the same function in SQL: encode(sha256(convert_to(t, 'UTF8')), 'hex').
 */
import { createHash } from 'node:crypto';

/** The value stored in `sessions."sessionToken"` for a cookie's raw token (64 hex characters). */
export function hashSessionToken(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex');
}
