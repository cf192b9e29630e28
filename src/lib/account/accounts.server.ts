/**
 * What a signed-in person can do to their own account: see and end their sessions, and delete
 * everything we hold about them. Every statement is scoped to the user.
 */
import type { Database, Queryable } from '#lib/db/index.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';

export interface ActiveSession {
  id: number;
  createdAt: string;
  lastUsedAt: string;
  expires: string;
  current: boolean;
}

/** The user's unexpired sessions, newest first; `current` marks the one whose cookie holds `currentToken` (raw). */
export async function listSessions(
  database: Queryable,
  userId: number,
  currentToken: string,
): Promise<ActiveSession[]> {
  const { rows } = await database.query<{
    id: number;
    created_at: Date;
    last_used_at: Date;
    expires: Date;
    current: boolean;
  }>(
    `SELECT id, created_at, last_used_at, expires, "sessionToken" = $2 AS current
       FROM sessions WHERE "userId" = $1 AND expires > now()
      ORDER BY created_at DESC, id DESC`,
    [userId, hashSessionToken(currentToken)],
  );
  return rows.map((row) => ({
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: new Date(row.last_used_at).toISOString(),
    expires: new Date(row.expires).toISOString(),
    current: row.current,
  }));
}

/** Ends every session of the user except the current one (`currentToken`: the cookie's raw token); returns how many ended. */
export async function endOtherSessions(database: Queryable, userId: number, currentToken: string): Promise<number> {
  const { rowCount } = await database.query('DELETE FROM sessions WHERE "userId" = $1 AND "sessionToken" <> $2', [
    userId,
    hashSessionToken(currentToken),
  ]);
  return rowCount;
}

/** Ends every session of the user, this one included. */
export async function endAllSessions(database: Queryable, userId: number): Promise<number> {
  const { rowCount } = await database.query('DELETE FROM sessions WHERE "userId" = $1', [userId]);
  return rowCount;
}

/**
 * Deletes the user and everything about them in one transaction: sessions, linked accounts and
 * todos go by ON DELETE CASCADE; pending sign-in links and codes for the address go explicitly.
 */
export async function deleteAccount(database: Database, userId: number): Promise<void> {
  await database.transaction(async (tx) => {
    const { rows } = await tx.query<{ email: string }>('DELETE FROM users WHERE id = $1 RETURNING email', [userId]);
    const email = rows[0]?.email;
    if (!email) return;
    await tx.query('DELETE FROM verification_token WHERE identifier = $1', [email]);
    await tx.query('DELETE FROM sign_in_codes WHERE identifier = $1', [email]);
  });
}
