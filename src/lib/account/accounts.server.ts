/**
 * What a signed-in person can do to their own account: see and end their sessions, and delete
 * everything we hold about them. Every statement is scoped to the user.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { param, type MeColumns, type SessionOwner } from '#lib/auth/session-owner.server.ts';
import { describeDevice } from './devices.server.ts';

/**
 * CTEs for after `gone` (the deleted user's `email`): the address's pending sign-in links and
 * codes, which name the address, not the user, so no cascade reaches them.
 */
const SIGN_IN_STATE_OF_GONE = `links AS (DELETE FROM verification_token WHERE identifier IN (SELECT email FROM gone)),
     codes AS (DELETE FROM sign_in_codes WHERE identifier IN (SELECT email FROM gone))`;

export interface ActiveSession {
  id: number;
  createdAt: string;
  lastUsedAt: string;
  expires: string;
  current: boolean;
  /** Browser and OS in words ("Chrome on macOS"), from the User-Agent that created the session. */
  device: string;
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
    user_agent: string | null;
  }>(
    `SELECT id, created_at, last_used_at, expires, "sessionToken" = $2 AS current, user_agent
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
    device: describeDevice(row.user_agent),
  }));
}

/**
 * The account page's read: the session check and the user's sessions in one statement (null: no
 * live session). The current session shows what this statement just wrote to it (a statement's
 * own reads see the table as it was before its writes).
 */
export async function listSessionsAs(database: Queryable, owner: SessionOwner): Promise<ActiveSession[] | null> {
  const { rows } = await database.query<
    MeColumns & {
      id: number | null;
      created_at: Date;
      last_used_at: Date;
      expires: Date;
      current: boolean;
      user_agent: string | null;
    }
  >(
    // $1 is the owner's token hash (session-owner.server.ts).
    `WITH ${owner.cte}
     SELECT me.*, s.id, s.created_at, s.last_used_at, s.expires, s."sessionToken" = $1 AS current, s.user_agent
       FROM me LEFT JOIN sessions s ON s."userId" = me.session_user_id AND s.expires > now()
      ORDER BY s.created_at DESC, s.id DESC`,
    [...owner.params],
  );
  owner.seen(rows[0]);
  if (rows.length === 0) return null;
  return rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      id: row.id!,
      createdAt: new Date(row.created_at).toISOString(),
      lastUsedAt: new Date((row.current && row.session_touched_at) || row.last_used_at).toISOString(),
      expires: new Date(row.current ? row.session_expires! : row.expires).toISOString(),
      current: row.current,
      device: describeDevice(row.user_agent),
    }));
}

/**
 * /account's "sign out of other sessions", with the session check in the same statement: ends
 * every session of the owner but this one; returns how many ended (null: no live session, nothing
 * ended).
 */
export async function endOtherSessionsAs(database: Queryable, owner: SessionOwner): Promise<number | null> {
  const { rows } = await database.query<MeColumns & { ended: number }>(
    // $1 is the owner's token hash: this browser's session stays.
    `WITH ${owner.cte},
     ended AS (
       DELETE FROM sessions s USING me WHERE s."userId" = me.session_user_id AND s."sessionToken" <> $1 RETURNING 1
     )
     SELECT me.*, (SELECT count(*) FROM ended)::int AS ended FROM me`,
    [...owner.params],
  );
  owner.seen(rows[0]);
  return rows[0] ? rows[0].ended : null;
}

/**
 * /account's "sign out everywhere", with the session check in the same statement: ends every
 * session of the owner, this one included (false: no live session, nothing ended).
 */
export async function endAllSessionsAs(database: Queryable, owner: SessionOwner): Promise<boolean> {
  const { rows } = await database.query<MeColumns>(
    // The ending `me`: this statement deletes the session row the usual `me` would touch.
    `WITH ${owner.endingCte},
     ended AS (DELETE FROM sessions s USING me WHERE s."userId" = me.session_user_id)
     SELECT me.* FROM me`,
    [...owner.params],
  );
  owner.seen(rows[0]);
  return rows.length > 0;
}

/**
 * /account's "delete my account", with the session check and the typed confirmation in the same
 * statement: deletes the owner's account only when `confirm` (normalised; null: not an address)
 * is its address — everything about them goes as deleteAccount's does. `deleted` false: the
 * address didn't match, nothing changed; null: no live session, nothing changed.
 */
export async function deleteAccountAs(
  database: Queryable,
  owner: SessionOwner,
  confirm: string | null,
): Promise<{ deleted: boolean } | null> {
  const { rows } = await database.query<MeColumns & { deleted: boolean }>(
    // The sessions go with the user by cascade, after this statement's own writes (so after
    // `me` touched this one); the links and codes by address.
    `WITH ${owner.cte},
     gone AS (
       DELETE FROM users u USING me WHERE u.id = me.session_user_id AND u.email = ${param(owner, 1)}::text
       RETURNING u.email
     ),
     ${SIGN_IN_STATE_OF_GONE}
     SELECT me.*, EXISTS (SELECT 1 FROM gone) AS deleted FROM me`,
    [...owner.params, confirm],
  );
  owner.seen(rows[0]);
  return rows[0] ? { deleted: rows[0].deleted } : null;
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
 * Deletes the user and everything about them in one statement: sessions, linked accounts and
 * todos go by ON DELETE CASCADE; pending sign-in links and codes for the address go explicitly.
 */
export async function deleteAccount(database: Queryable, userId: number): Promise<void> {
  await database.query(
    `WITH gone AS (DELETE FROM users WHERE id = $1 RETURNING email),
     ${SIGN_IN_STATE_OF_GONE}
     SELECT 1`,
    [userId],
  );
}
