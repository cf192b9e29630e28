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
import { param, type MeColumns, type SessionOwner } from '#lib/auth/session-owner.server.ts';
import { COUNT_HIT, rateLimitKey, RETRY_AFTER } from '#lib/sign-in/rate-limit.server.ts';
import { signInEmailLimits } from '#lib/sign-in/sign-in.server.ts';

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
 * The sign-in mail limits (the same rules as sign-in emails, so both share one count) as VALUES
 * rows: key, window, limit.
 */
function signInMailLimits(newEmail: string, ip: string): unknown[] {
  return signInEmailLimits(newEmail, ip).flatMap((hit) => [rateLimitKey(hit), hit.rule.windowSeconds, hit.rule.limit]);
}

/**
 * Mails a confirmation link to `newEmail` (already normalised) for the owner of the request. One
 * statement checks the session, counts the email against the sign-in mail limits of the new
 * address and of `ip` (rate-limit.server.ts's fixed windows: every limit counts the hit; the
 * answer is the most restrictive), and stores the link, replacing the user's earlier pending one.
 * Nothing is counted or stored for the account's own address or without a live session (null).
 */
export async function requestEmailChangeAs(
  database: Queryable,
  owner: SessionOwner,
  newEmail: string,
  ip: string,
): Promise<EmailChangeRequest | null> {
  const cfg = config();
  const token = randomBytes(32).toString('hex');
  const minutes = cfg.signIn.linkMinutes;
  const p = (i: number) => param(owner, i);
  const { rows } = await database.query<MeColumns & { requested: boolean; retry_after: number | null }>(
    `WITH ${owner.cte},
     limits (key, secs, lim) AS (
       VALUES (${p(1)}::text, ${p(2)}::int, ${p(3)}::int), (${p(4)}::text, ${p(5)}::int, ${p(6)}::int)
     ),
     hits AS (
       INSERT INTO rate_limits AS r (key, window_start, count, expires)
       SELECT limits.key, now(), 1, now() + make_interval(secs => limits.secs)
         FROM me, limits WHERE me.session_email <> ${p(7)}::text
       ${COUNT_HIT}
       RETURNING r.key, r.count, ${RETRY_AFTER}
     ),
     refused AS (SELECT hits.retry_after FROM hits JOIN limits USING (key) WHERE hits.count > limits.lim),
     allowed AS (SELECT EXISTS (SELECT 1 FROM hits) AND NOT EXISTS (SELECT 1 FROM refused) AS ok),
     replaced AS (
       DELETE FROM email_changes c USING me, allowed WHERE c.user_id = me.session_user_id AND allowed.ok
     ),
     requested AS (
       INSERT INTO email_changes (token_hash, user_id, new_email, expires)
       SELECT ${p(8)}, me.session_user_id, ${p(7)}, now() + make_interval(mins => ${p(9)}::int)
         FROM me, allowed WHERE allowed.ok
       RETURNING 1
     )
     SELECT me.*, EXISTS (SELECT 1 FROM requested) AS requested, (SELECT max(retry_after) FROM refused) AS retry_after
       FROM me`,
    [...owner.params, ...signInMailLimits(newEmail, ip), newEmail, hashToken(token), minutes],
  );
  const row = rows[0];
  owner.seen(row);
  if (!row) return null;
  if (row.retry_after !== null) return { status: 'too-many', retryAfterSeconds: row.retry_after };
  if (!row.requested) return { status: 'same' };
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
