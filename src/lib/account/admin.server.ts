/**
 * Operator tasks behind `npm run admin -- <command>`: list users, and by email address revoke a
 * user's sessions or delete the user (through the same functions the account page uses). Pruning
 * is prune.server.ts's. Runs the same on Neon, a local Postgres and PGlite.
 */
import { deleteAccount, endAllSessions } from './accounts.server.ts';
import type { Database, Queryable } from '#lib/db/index.server.ts';
import { normalizeEmail } from '#lib/auth/email-address.server.ts';

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
            (SELECT count(*) FROM todos t WHERE t.user_id = u.id AND t.deleted_at IS NULL) AS todos,
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

/** The user's id and todo count by email address; UnknownUserError when there is no such user. */
async function findUser(database: Queryable, email: string): Promise<{ id: number; todos: number }> {
  // The rule sign-in stores addresses by (NFKC, trimmed, lowercased): operators may type them any way.
  const address = normalizeEmail(email);
  if (!address) throw new UnknownUserError(email);
  const { rows } = await database.query<{ id: number; todos: string | number }>(
    `SELECT u.id, (SELECT count(*) FROM todos t WHERE t.user_id = u.id AND t.deleted_at IS NULL) AS todos FROM users u WHERE u.email = $1`,
    [address],
  );
  if (!rows[0]) throw new UnknownUserError(email);
  return { id: rows[0].id, todos: Number(rows[0].todos) };
}

/** Ends every session of the user (signed out everywhere at their next request); returns how many. */
export async function revokeSessions(database: Queryable, email: string): Promise<number> {
  return endAllSessions(database, (await findUser(database, email)).id);
}

/** Deletes the user with everything about them (the same path as "delete my account"). */
export async function deleteUser(database: Database, email: string): Promise<{ id: number; todos: number }> {
  const user = await findUser(database, email);
  await deleteAccount(database, user.id);
  return user;
}
