/**
 * "Change my email address": the signed-in person names a new address, a link mailed to that
 * address confirms the change, and the old address is told once it is done.
 *
 * The link follows the sign-in link's rules: it works once (its row is deleted when spent), for
 * SIGN_IN_LINK_MINUTES, and only the SHA-256 of its token is stored. Opening it changes nothing
 * (mail scanners open links): the confirmation page's button POSTs. The token is the authority,
 * so it works in any browser, signed in or not (only the new inbox ever sees it).
 *
 * No enumeration: an address that already belongs to another account gets the same answer, the
 * same email and the same counting as a free one. The difference shows only to whoever opens the
 * link in that inbox, who is shown the same "this link no longer works, nothing was changed" page
 * as for a used or expired link.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '#lib/db/index.server.ts';
import { config } from '#lib/config/config.server.ts';
import { log } from '#lib/log/log.server.ts';
import { sendMail } from '#lib/mail/index.server.ts';
import { emailChangedNotice, emailChangeMessage } from '#lib/mail/account-messages.ts';
import { checkSignInEmailLimits } from '#lib/sign-in/sign-in.server.ts';

/** The confirmation page (GET shows a button, POST spends the link). */
export const CONFIRM_EMAIL_PATH = '/account/confirm-email';

const TOKEN = /^[0-9a-f]{64}$/;
const hashToken = (token: string) => createHash('sha256').update(`email-change:${token}`).digest('hex');

export type EmailChangeRequest =
  | { status: 'sent' }
  | { status: 'same' }
  | { status: 'too-many'; retryAfterSeconds: number }
  | { status: 'send-failed' };

/**
 * Mails a confirmation link to `newEmail` (already normalised) for user `userId`. Counts against
 * the sign-in mail limits of the new address and of `ip`, like a sign-in email. A newer request
 * replaces the user's earlier pending one.
 */
export async function requestEmailChange(
  database: Queryable,
  user: { id: number; email: string },
  newEmail: string,
  ip: string,
): Promise<EmailChangeRequest> {
  if (newEmail === user.email) return { status: 'same' };
  const limit = await checkSignInEmailLimits(newEmail, ip);
  if (!limit.allowed) return { status: 'too-many', retryAfterSeconds: limit.retryAfterSeconds };

  const cfg = config();
  const token = randomBytes(32).toString('hex');
  const minutes = cfg.signIn.linkMinutes;
  await database.query(
    `WITH replaced AS (DELETE FROM email_changes WHERE user_id = $1)
     INSERT INTO email_changes (token_hash, user_id, new_email, expires)
     VALUES ($2, $1, $3, now() + make_interval(mins => $4))`,
    [user.id, hashToken(token), newEmail, minutes],
  );
  const url = new URL(`${CONFIRM_EMAIL_PATH}?${new URLSearchParams({ token })}`, cfg.siteUrl).href;
  try {
    await sendMail(cfg.mail, emailChangeMessage({ to: newEmail, url, minutes, siteName: cfg.siteName }));
  } catch (error) {
    log.warn('[account] email change link could not be sent', { reason: (error as Error).message });
    return { status: 'send-failed' };
  }
  return { status: 'sent' };
}

/** The new address a link would confirm, or null (malformed, used, expired). Changes nothing. */
export async function pendingEmailChange(database: Queryable, token: string): Promise<string | null> {
  if (!TOKEN.test(token)) return null;
  const { rows } = await database.query<{ new_email: string }>(
    'SELECT new_email FROM email_changes WHERE token_hash = $1 AND expires > now()',
    [hashToken(token)],
  );
  return rows[0]?.new_email ?? null;
}

/** `changed`: the account now has `email`; `unusable`: used, expired, or the address is taken. */
export type EmailChangeOutcome = { status: 'changed'; email: string } | { status: 'unusable' };

/**
 * Spends the link and changes the address, in one transaction: the link's row goes whatever
 * happens next; the address changes only if no account has it; pending sign-in links and codes
 * for the old address go too (they would otherwise sign in as a new account on the old address).
 * The old address gets a notice afterwards (a failed notice is logged, the change stands).
 */
export async function confirmEmailChange(database: Database, token: string): Promise<EmailChangeOutcome> {
  if (!TOKEN.test(token)) return { status: 'unusable' };
  const changed = await database
    .transaction(async (tx) => {
      const { rows: spent } = await tx.query<{ user_id: number; new_email: string }>(
        'DELETE FROM email_changes WHERE token_hash = $1 AND expires > now() RETURNING user_id, new_email',
        [hashToken(token)],
      );
      const link = spent[0];
      if (!link) return null;
      const { rows } = await tx.query<{ old_email: string }>(
        `UPDATE users u SET email = $2, "emailVerified" = now()
         FROM (SELECT email AS old_email FROM users WHERE id = $1) old
        WHERE u.id = $1 AND NOT EXISTS (SELECT 1 FROM users taken WHERE taken.email = $2)
        RETURNING old.old_email`,
        [link.user_id, link.new_email],
      );
      const oldEmail = rows[0]?.old_email;
      if (!oldEmail) return null;
      await tx.query('DELETE FROM verification_token WHERE identifier = $1', [oldEmail]);
      await tx.query('DELETE FROM sign_in_codes WHERE identifier = $1', [oldEmail]);
      return { oldEmail, newEmail: link.new_email };
    })
    .catch((error: unknown) => {
      // Another account took the address between the check and the write (unique violation).
      if ((error as { code?: string }).code === '23505') return null;
      throw error;
    });
  if (!changed) return { status: 'unusable' };
  const cfg = config();
  const notice = emailChangedNotice({
    to: changed.oldEmail,
    newEmail: changed.newEmail,
    siteUrl: cfg.siteUrl,
    siteName: cfg.siteName,
  });
  await sendMail(cfg.mail, notice).catch((error: unknown) =>
    log.warn('[account] email change notice could not be sent', { reason: (error as Error).message }),
  );
  return { status: 'changed', email: changed.newEmail };
}
