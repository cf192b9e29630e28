/**
 * One-time codes for signing in on another device.
 *
 * The emailed link's token is derived from the code: token = HMAC(secret, salt:code). Only the
 * salt and an attempt counter are stored here (and Auth.js stores only a hash of the token), so
 * the database alone gives neither a working code nor a working link. A correct code re-derives
 * the token and completes sign-in through Auth.js's own callback, which consumes the link too.
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import type { Queryable } from '#lib/db/index.server.ts';

export const CODE_DIGITS = 8;

export function newCode(): { code: string; salt: string } {
  const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
  return { code, salt: randomBytes(16).toString('hex') };
}

/** The sign-in link token for a code (64 hex characters, unguessable without the secret). */
export function tokenForCode(secret: string, salt: string, code: string): string {
  return createHmac('sha256', secret).update(`sign-in-code:${salt}:${code}`).digest('hex');
}

/** "1234 5678" for the email; people may type it with or without the space. */
export function formatCode(code: string): string {
  return code.replace(/^(\d{4})(\d+)$/, '$1 $2');
}

/** Digits only, or null when the input can't be a code. */
export function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(digits) ? digits : null;
}

export type CodeCheck =
  { status: 'candidate'; salt: string; attemptsLeft: number } | { status: 'locked' } | { status: 'none' };

/**
 * Spends one attempt on the live code that `identifier`'s email carried to the browser holding
 * `nonceHash`, and returns its salt to try. Another browser's nonce finds nothing, so it can
 * neither use up this code's attempts nor tell whether it exists. The attempt is counted in the
 * same statement that reads it, so parallel guesses can't exceed the limit.
 */
export async function spendCodeAttempt(
  database: Queryable,
  identifier: string,
  nonceHash: string,
  maxAttempts: number,
): Promise<CodeCheck> {
  const { rows } = await database.query<{ salt: string; attempts: number; spent: boolean }>(
    `WITH latest AS (
       SELECT id FROM sign_in_codes
        WHERE identifier = $1 AND nonce_hash = $3 AND expires > now()
        ORDER BY created_at DESC, id DESC LIMIT 1
     ), spent AS (
       UPDATE sign_in_codes SET attempts = attempts + 1
        WHERE id = (SELECT id FROM latest) AND attempts < $2
        RETURNING salt, attempts
     )
     SELECT salt, attempts, true AS spent FROM spent
     UNION ALL
     SELECT c.salt, c.attempts, false FROM sign_in_codes c JOIN latest ON latest.id = c.id
      WHERE NOT EXISTS (SELECT 1 FROM spent)`,
    [identifier, maxAttempts, nonceHash],
  );
  const row = rows[0];
  if (!row) return { status: 'none' };
  if (!row.spent) return { status: 'locked' };
  return { status: 'candidate', salt: row.salt, attemptsLeft: maxAttempts - row.attempts };
}

/** sha256 of a pending cookie's nonce, as stored with the code (the cookie alone is the secret). */
export function hashNonce(nonce: string): string {
  return createHash('sha256').update(`sign-in-nonce:${nonce}`).digest('hex');
}

/** After a sign-in by link or code: no code for this address works any more. */
export async function deleteCodes(database: Queryable, identifier: string): Promise<void> {
  await database.query('DELETE FROM sign_in_codes WHERE identifier = $1', [identifier]);
}
