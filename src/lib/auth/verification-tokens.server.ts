/** Looks at sign-in links without using them up (for the confirmation page). */
import { createHash } from 'node:crypto';
import type { Queryable } from '#lib/db/index.server.ts';

/** Auth.js stores a link token as sha256(token + secret). */
function hashLinkToken(token: string, secret: string): string {
  return createHash('sha256').update(`${token}${secret}`).digest('hex');
}

/** True when the link for `identifier` and `token` exists and has not expired. Changes nothing. */
export async function isLinkUsable(
  database: Queryable,
  identifier: string,
  token: string,
  secret: string,
): Promise<boolean> {
  const { rowCount } = await database.query(
    'SELECT 1 FROM verification_token WHERE identifier = $1 AND token = $2 AND expires > now()',
    [identifier, hashLinkToken(token, secret)],
  );
  return rowCount > 0;
}
