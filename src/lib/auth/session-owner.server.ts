/**
 * The session check as part of the statement that does the work: one database round trip per
 * signed-in request. An `Owner` is the SQL that names whose data a statement touches — a CTE `me`
 * with one row (`session_user_id`, …) when the owner is known, none when it isn't — and every
 * owner-scoped statement (src/todos/queries.server.ts, the account page) starts with it and joins
 * `me` into its SELECT/UPDATE/INSERT/DELETE. A signed-out request thus reads or writes nothing, by
 * construction, and zero rows from `me` means 401 while a row without data means 404.
 *
 * For a request, `me` is the session row selected by its hashed cookie token (session-token.server.ts),
 * with Auth.js's rules applied in the same statement (as session-lookup.server.ts does through the
 * adapter; tests/integration/session-statement.test.ts checks both on PGlite and Postgres):
 * - expired: the row is deleted (a CTE of its own), no `me`, and the cookie is cleared;
 * - extended more than `updateAge` ago: its expiry moves to now + `maxAge`, and `session_extended`
 *   tells the caller to re-send the cookie (only then, as before);
 * - `last_used_at` is touched at most every 5 minutes (as the adapter's getSessionAndUser does).
 */
import type { AstroCookies } from 'astro';
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from './constants.ts';
import { clearSessionCookies, sessionCookieName, sessionCookieOptions, sessionToken } from './session-cookie.server.ts';
import { hashSessionToken } from './session-token.server.ts';

/** The columns `me` gives every statement (when it has a row). */
export interface MeColumns {
  session_user_id: number;
  session_email?: string;
  session_name?: string | null;
  session_expires?: Date | string;
  session_extended?: boolean;
  /** When this statement touched the session's last_used_at (null: not due). */
  session_touched_at?: Date | string | null;
}

export interface Owner {
  /** `me AS (…)` and the CTEs it needs, for `WITH ${cte}, …`; its parameters are $1…$n. */
  readonly cte: string;
  readonly params: readonly unknown[];
  /** Records what `me` held, from the statement's first row (undefined: no row, so no owner). */
  seen(row: MeColumns | undefined): void;
}

/** `$n` for a statement's own i-th parameter (1-based) after the owner's. */
export const param = (owner: Owner, i: number): string => `$${owner.params.length + i}`;

/** A known user (internal jobs and tests): `me` is that id, whatever the sessions table says. */
export function ownerById(userId: number): Owner {
  return { cte: 'me AS (SELECT $1::int AS session_user_id)', params: [userId], seen: () => {} };
}

/**
 * $1 token hash, $2 now, $3 maxAge seconds, $4 updateAge seconds. `now` comes from the app's clock,
 * as Auth.js's own rule does, so a test can move it; last_used_at uses the database's.
 */
const LIVE_SESSION = `expired AS (
    DELETE FROM sessions WHERE "sessionToken" = $1 AND expires < $2::timestamptz
  ),
  live AS (
    SELECT "userId" AS user_id, expires,
           expires - make_interval(secs => $3::int) + make_interval(secs => $4::int) <= $2::timestamptz AS due
      FROM sessions WHERE "sessionToken" = $1 AND expires >= $2::timestamptz
  )`;

/** `me`: the live session's user, with what became of the session row (`session*` columns as SQL). */
const meCte = (sessionColumns: string) => `me AS (
    SELECT u.id AS session_user_id, u.email AS session_email, u.name AS session_name,
           ${sessionColumns}
      FROM live JOIN users u ON u.id = live.user_id
  )`;

const SESSION_CTE = `${LIVE_SESSION},
  touched AS (
    UPDATE sessions s
       SET last_used_at = now(),
           expires = CASE WHEN live.due THEN $2::timestamptz + make_interval(secs => $3::int) ELSE s.expires END
      FROM live
     WHERE s."sessionToken" = $1 AND (live.due OR s.last_used_at < now() - interval '5 minutes')
    RETURNING s.expires, s.last_used_at
  ),
  ${meCte(`COALESCE((SELECT expires FROM touched), live.expires) AS session_expires,
           live.due AS session_extended,
           (SELECT last_used_at FROM touched) AS session_touched_at`)}`;

/**
 * `me` without `touched`, for a statement that deletes the session's own row (sign out
 * everywhere): one statement can't both update and delete a row (only one of the two would
 * happen), and a session that ends needs no extension. Expired rows still go.
 */
const ENDING_SESSION_CTE = `${LIVE_SESSION},
  ${meCte('live.expires AS session_expires, false AS session_extended, NULL::timestamptz AS session_touched_at')}`;

/** Auth.js issues UUIDs; a cookie value outside printable ASCII or over 255 characters is nobody's session. */
const PLAUSIBLE_TOKEN = /^[\x21-\x7e]{1,255}$/;

export interface RequestSession {
  user: SessionUser;
  expires: string;
  /** The raw cookie token (to tell this browser's session from the others). */
  token: string;
}

/** The owner of a request: its session, once a statement has run with it. */
export interface SessionOwner extends Owner {
  /** undefined before a statement ran; null when the cookie names no live session. */
  readonly session: RequestSession | null | undefined;
  /** The session expiry moved: the cookie must be sent again. */
  readonly extended: boolean;
  /** `cte` for a statement that deletes this session's row: the same `me`, the same parameters, no touch. */
  readonly endingCte: string;
}

/**
 * The owner for this request's session cookie; null when there is no cookie that could be a
 * session (no query needed: the caller answers 401 / the sign-in redirect, and a junk cookie is cleared).
 */
export function requestOwner(cookies: AstroCookies, now = Date.now()): SessionOwner | null {
  const token = sessionToken(cookies);
  if (!token) return null;
  if (!isPlausibleToken(token)) {
    clearSessionCookies(cookies);
    return null;
  }
  return sessionOwner(token, now);
}

export const isPlausibleToken = (token: string): boolean => PLAUSIBLE_TOKEN.test(token);

/**
 * The owner for a raw session token (checked with isPlausibleToken), as of `now`. A class, not an
 * object literal with getters: V8 puts a literal's accessors in the old generation, and made per
 * request they would keep each request alive until a full collection (README → Memory).
 */
export function sessionOwner(token: string, now = Date.now()): SessionOwner {
  return new TokenOwner(token, now);
}

class TokenOwner implements SessionOwner {
  readonly cte = SESSION_CTE;
  readonly endingCte = ENDING_SESSION_CTE;
  readonly params: readonly unknown[];
  #session: RequestSession | null | undefined;
  #extended = false;
  readonly #token: string;

  constructor(token: string, now: number) {
    this.#token = token;
    this.params = [
      hashSessionToken(token),
      new Date(now).toISOString(),
      SESSION_MAX_AGE_SECONDS,
      SESSION_UPDATE_AGE_SECONDS,
    ];
  }

  seen(row: MeColumns | undefined): void {
    if (!row) {
      this.#session = null;
      return;
    }
    this.#extended = row.session_extended === true;
    this.#session = {
      user: { id: Number(row.session_user_id), email: row.session_email!, name: row.session_name ?? null },
      expires: new Date(row.session_expires!).toISOString(),
      token: this.#token,
    };
  }

  get session(): RequestSession | null | undefined {
    return this.#session;
  }

  get extended(): boolean {
    return this.#extended;
  }
}

/**
 * After the statement: the cookie follows the session (cleared when it is gone, re-sent when its
 * expiry moved) and the caller gets the signed-in session, or null (401 / sign-in redirect).
 */
export function settleSession(cookies: AstroCookies, owner: SessionOwner | null): RequestSession | null {
  if (!owner) return null;
  const { session } = owner;
  if (!session) {
    if (session === null) clearSessionCookies(cookies);
    return null;
  }
  if (owner.extended) {
    const name = sessionCookieName();
    cookies.set(name, session.token, { ...sessionCookieOptions(name), expires: new Date(session.expires) });
  }
  return session;
}
