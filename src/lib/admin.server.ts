/**
 * Operator tasks behind `npm run admin -- <command>`: list users, revoke a user's sessions,
 * delete a user, prune expired rows. Each is one statement (or one transaction) on a Queryable,
 * so it runs the same on Neon, a local Postgres and PGlite.
 */
import type { Queryable } from './db.server.ts';

export interface UserSummary {
  id: number;
  email: string;
  createdAt: Date;
  lastSignInAt: Date | null;
  todos: number;
  activeSessions: number;
}

export class UnknownUserError extends Error {
  override name = 'UnknownUserError';
  constructor(email: string) {
    super(`No user with the email address ${email}. List them with: npm run admin -- users`);
  }
}

/** Auth.js stores addresses lowercased; operators may type them in any case. */
const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Every user with their todo count, live session count and last sign-in, oldest account first. */
export async function listUsers(database: Queryable): Promise<UserSummary[]> {
  const { rows } = await database.query<{
    id: number;
    email: string;
    created_at: Date | string;
    last_sign_in_at: Date | string | null;
    todos: string | number;
    sessions: string | number;
  }>(
    `SELECT u.id, u.email, u.created_at, u.last_sign_in_at,
            (SELECT count(*) FROM todos t WHERE t.user_id = u.id) AS todos,
            (SELECT count(*) FROM sessions s WHERE s."userId" = u.id AND s.expires > now()) AS sessions
       FROM users u
      ORDER BY u.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    createdAt: new Date(row.created_at),
    lastSignInAt: row.last_sign_in_at ? new Date(row.last_sign_in_at) : null,
    todos: Number(row.todos),
    activeSessions: Number(row.sessions),
  }));
}

/** Ends every session of the user (signed out everywhere at their next request); returns how many. */
export async function revokeSessions(database: Queryable, email: string): Promise<number> {
  const { rows } = await database.query<{ user_id: number | null; revoked: string | number }>(
    `WITH target AS (SELECT id FROM users WHERE email = $1),
          gone AS (DELETE FROM sessions WHERE "userId" = (SELECT id FROM target) RETURNING 1)
     SELECT (SELECT id FROM target) AS user_id, (SELECT count(*) FROM gone) AS revoked`,
    [normalizeEmail(email)],
  );
  if (rows[0]?.user_id == null) throw new UnknownUserError(email);
  return Number(rows[0].revoked);
}

/** Deletes the user; their todos, sessions and accounts go with them (ON DELETE CASCADE). */
export async function deleteUser(database: Queryable, email: string): Promise<{ id: number; todos: number }> {
  const { rows } = await database.query<{ id: number; todos: string | number }>(
    `DELETE FROM users u WHERE u.email = $1
      RETURNING u.id, (SELECT count(*) FROM todos t WHERE t.user_id = u.id) AS todos`,
    [normalizeEmail(email)],
  );
  if (!rows[0]) throw new UnknownUserError(email);
  // Sign-in links already mailed to the address would create the account again: void them too.
  await database.query('DELETE FROM verification_token WHERE identifier = $1', [normalizeEmail(email)]);
  return { id: rows[0].id, todos: Number(rows[0].todos) };
}

export interface PruneResult {
  sessions: number;
  verificationTokens: number;
}

/** Deletes expired sessions and sign-in tokens (Auth.js only removes the ones it happens to read). */
export async function pruneExpired(database: Queryable, now = new Date()): Promise<PruneResult> {
  const sessions = await database.query('DELETE FROM sessions WHERE expires < $1', [now]);
  const tokens = await database.query('DELETE FROM verification_token WHERE expires < $1', [now]);
  return { sessions: sessions.rowCount, verificationTokens: tokens.rowCount };
}
