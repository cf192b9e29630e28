/**
 * The passkey statements. Signed-in ones start with the request's `Owner` CTE (`me`,
 * session-owner.server.ts) and join it, so each is the request's only round trip, and a passkey is
 * only ever read or changed with its owner in the WHERE. They return null when `me` has no row
 * (no live session: 401).
 *
 * Challenges are taken with DELETE … RETURNING: whichever request deletes the row spends it, so a
 * challenge (and a replayed answer signed over it) works once, on whichever instance.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import { param, type MeColumns, type Owner } from '#lib/auth/session-owner.server.ts';
import type { PasskeySummary } from './passkey.ts';

/** How long a browser has to answer a challenge. */
export const CHALLENGE_SECONDS = 5 * 60;

interface PasskeyRow {
  id: number | null;
  name: string;
  device_type: PasskeySummary['deviceType'];
  backed_up: boolean;
  created_at: Date | string;
  last_used_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const summary = (row: PasskeyRow): PasskeySummary => ({
  id: Number(row.id),
  name: row.name,
  deviceType: row.device_type,
  backedUp: row.backed_up,
  createdAt: iso(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : iso(row.last_used_at),
});

const SUMMARY_COLUMNS = 'id, name, device_type, backed_up, created_at, last_used_at';

/** Runs an owner-scoped statement: null when `me` had no row, else its rows. */
async function asOwner<R>(
  database: Queryable,
  owner: Owner,
  sql: string,
  params: unknown[],
): Promise<Array<MeColumns & R> | null> {
  const { rows } = await database.query<MeColumns & R>(sql, [...owner.params, ...params]);
  owner.seen(rows[0]);
  return rows[0] ? rows : null;
}

/** The owner's passkeys, oldest first. */
export async function listPasskeys(database: Queryable, owner: Owner): Promise<PasskeySummary[] | null> {
  const rows = await asOwner<PasskeyRow>(
    database,
    owner,
    `WITH ${owner.cte}
     SELECT me.*, p.id, p.name, p.device_type, p.backed_up, p.created_at, p.last_used_at
       FROM me LEFT JOIN passkeys p ON p.user_id = me.session_user_id
      ORDER BY p.created_at, p.id`,
    [],
  );
  return rows && rows.filter((row) => row.id !== null).map(summary);
}

export interface RegistrationStart {
  email: string;
  userId: number;
  /** The owner's credentials, which the browser is told not to register again. */
  existing: Array<{ id: string; transports: string[] }>;
}

/** Stores a registration challenge for the owner; returns what the options need. */
export async function storeRegistrationChallenge(
  database: Queryable,
  owner: Owner,
  challenge: string,
): Promise<RegistrationStart | null> {
  const rows = await asOwner<{ existing: RegistrationStart['existing'] }>(
    database,
    owner,
    `WITH ${owner.cte},
     stored AS (
       INSERT INTO passkey_challenges (challenge, purpose, user_id, expires)
       SELECT ${param(owner, 1)}, 'register', session_user_id, now() + make_interval(secs => ${param(owner, 2)}::int)
         FROM me
     )
     SELECT me.*,
            COALESCE((SELECT json_agg(json_build_object('id', p.credential_id, 'transports', p.transports))
                        FROM passkeys p WHERE p.user_id = me.session_user_id), '[]'::json) AS existing
       FROM me`,
    [challenge, CHALLENGE_SECONDS],
  );
  const row = rows?.[0];
  return row ? { email: row.session_email!, userId: Number(row.session_user_id), existing: row.existing } : null;
}

/** A verified new credential, as stored. */
export interface NewPasskey {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: PasskeySummary['deviceType'];
  backedUp: boolean;
  /** Null: "Passkey N", N counting the owner's passkeys. */
  name: string | null;
}

export type AddOutcome = { added: PasskeySummary } | { added: null; reason: 'challenge' | 'duplicate' };

/**
 * Spends the owner's registration challenge and stores the credential, in one statement. Without
 * a live challenge of this owner nothing is stored ('challenge'); a credential already registered
 * (to anyone) is not stored again ('duplicate').
 */
export async function addPasskey(
  database: Queryable,
  owner: Owner,
  challenge: string,
  passkey: NewPasskey,
): Promise<AddOutcome | null> {
  const p = (i: number) => param(owner, i);
  const rows = await asOwner<PasskeyRow & { challenge_ok: boolean }>(
    database,
    owner,
    `WITH ${owner.cte},
     taken AS (
       DELETE FROM passkey_challenges c USING me
        WHERE c.challenge = ${p(1)} AND c.purpose = 'register' AND c.user_id = me.session_user_id
        RETURNING c.user_id, c.expires > now() AS live
     ),
     added AS (
       INSERT INTO passkeys (user_id, credential_id, public_key, counter, transports, device_type, backed_up, name)
       SELECT taken.user_id, ${p(2)}, ${p(3)}, ${p(4)}::bigint,
              ARRAY(SELECT json_array_elements_text(${p(5)}::json)), ${p(6)}, ${p(7)}::boolean,
              COALESCE(${p(8)}::text,
                       'Passkey ' || ((SELECT count(*) FROM passkeys o WHERE o.user_id = taken.user_id) + 1))
         FROM taken WHERE taken.live
       ON CONFLICT (credential_id) DO NOTHING
       RETURNING ${SUMMARY_COLUMNS}
     )
     SELECT me.*, EXISTS (SELECT 1 FROM taken WHERE live) AS challenge_ok, added.*
       FROM me LEFT JOIN added ON true`,
    [
      challenge,
      passkey.credentialId,
      passkey.publicKey,
      passkey.counter,
      JSON.stringify(passkey.transports),
      passkey.deviceType,
      passkey.backedUp,
      passkey.name,
    ],
  );
  const row = rows?.[0];
  if (!row) return null;
  if (!row.challenge_ok) return { added: null, reason: 'challenge' };
  if (row.id === null) return { added: null, reason: 'duplicate' };
  return { added: summary(row) };
}

/** Renames one of the owner's passkeys: null without a session, `{passkey: null}` when it isn't theirs. */
export async function renamePasskey(
  database: Queryable,
  owner: Owner,
  id: number,
  name: string,
): Promise<{ passkey: PasskeySummary | null } | null> {
  const rows = await asOwner<PasskeyRow>(
    database,
    owner,
    `WITH ${owner.cte},
     renamed AS (
       UPDATE passkeys p SET name = ${param(owner, 2)} FROM me
        WHERE p.id = ${param(owner, 1)} AND p.user_id = me.session_user_id
        RETURNING p.${SUMMARY_COLUMNS.replaceAll(', ', ', p.')}
     )
     SELECT me.*, renamed.* FROM me LEFT JOIN renamed ON true`,
    [id, name],
  );
  const row = rows?.[0];
  return row ? { passkey: row.id === null ? null : summary(row) } : null;
}

/** Removes one of the owner's passkeys (the last one too: the email link stays). */
export async function removePasskey(
  database: Queryable,
  owner: Owner,
  id: number,
): Promise<{ removed: boolean } | null> {
  const rows = await asOwner<{ id: number | null }>(
    database,
    owner,
    `WITH ${owner.cte},
     removed AS (
       DELETE FROM passkeys p USING me
        WHERE p.id = ${param(owner, 1)} AND p.user_id = me.session_user_id
        RETURNING p.id
     )
     SELECT me.*, removed.id FROM me LEFT JOIN removed ON true`,
    [id],
  );
  const row = rows?.[0];
  return row ? { removed: row.id !== null } : null;
}

/** Stores a sign-in challenge (nobody's yet). */
export async function storeSignInChallenge(database: Queryable, challenge: string): Promise<void> {
  await database.query(
    `INSERT INTO passkey_challenges (challenge, purpose, expires)
     VALUES ($1, 'signin', now() + make_interval(secs => $2::int))`,
    [challenge, CHALLENGE_SECONDS],
  );
}

/** A stored credential, for verifying a sign-in. */
export interface StoredCredential {
  id: number;
  userId: number;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

/**
 * Spends a sign-in challenge and reads the credential the answer names, in one statement. The
 * challenge is spent whatever follows: an answer gets one try.
 */
export async function takeSignInChallenge(
  database: Queryable,
  challenge: string,
  credentialId: string,
): Promise<{ challengeLive: boolean; credential: StoredCredential | null }> {
  const { rows } = await database.query<{
    live: boolean | null;
    id: number | null;
    user_id: number;
    public_key: string;
    counter: string | number;
    transports: string[];
  }>(
    `WITH taken AS (
       DELETE FROM passkey_challenges WHERE challenge = $1 AND purpose = 'signin'
       RETURNING expires > now() AS live
     )
     SELECT (SELECT live FROM taken) AS live, p.id, p.user_id, p.public_key, p.counter, p.transports
       FROM (SELECT 1) AS one LEFT JOIN passkeys p ON p.credential_id = $2`,
    [challenge, credentialId],
  );
  const row = rows[0]!;
  return {
    challengeLive: row.live === true,
    credential:
      row.id === null
        ? null
        : {
            id: Number(row.id),
            userId: Number(row.user_id),
            credentialId,
            publicKey: row.public_key,
            counter: Number(row.counter),
            transports: row.transports,
          },
  };
}

/**
 * Records a verified use: the new counter and backup state, and when. Compare-and-set on the
 * counter it was verified against: of two uses racing with the same counter, one wins.
 */
export async function recordPasskeyUse(
  database: Queryable,
  credential: StoredCredential,
  use: { counter: number; deviceType: PasskeySummary['deviceType']; backedUp: boolean },
): Promise<boolean> {
  const { rows } = await database.query(
    `UPDATE passkeys SET counter = $2, device_type = $3, backed_up = $4, last_used_at = now()
      WHERE id = $1 AND counter = $5
      RETURNING id`,
    [credential.id, use.counter, use.deviceType, use.backedUp, credential.counter],
  );
  return rows.length === 1;
}
