/**
 * The forms of /account, posted to the page itself: sign out of other sessions, sign out
 * everywhere, change the email address (a link to the new one), delete the account (after typing
 * the address to confirm). One function reads the form and does what it asks as the request's
 * session owner: each action is one statement that checks the session too (one round trip), so
 * a revoked or expired session changes nothing. The page only answers with the outcome. The
 * middleware has already refused cross-site posts.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import type { SessionOwner } from '#lib/auth/session-owner.server.ts';
import { normalizeEmail } from '#lib/auth/email-address.server.ts';
import { HttpError, readBodyText } from '#lib/http/api.server.ts';
import { deleteAccountAs, endAllSessionsAs, endOtherSessionsAs } from './accounts.server.ts';
import { requestEmailChangeAs } from './email-change.server.ts';

/** The forms carry an action and at most an email address: anything bigger is not one of them. */
export const ACCOUNT_FORM_MAX_BYTES = 4096;

export type AccountFormOutcome =
  /** Done (or refused with a message in the URL): 303 to `location`; `signedOut`: clear the session cookie. */
  | { location: string; signedOut: boolean }
  /** The body was over ACCOUNT_FORM_MAX_BYTES: nothing was read or changed; answer 413 with `message`. */
  | { status: 413; message: string };

/** Where the change-email form's answers land: its section, with the address it was about. */
const changeEmailAnswer = (fields: Record<string, string>) => `/account?${new URLSearchParams(fields)}#change-email`;

/**
 * Reads the posted form and applies it as `owner` (`ip`: for the mail limits). null: the action's
 * statement found no live session (the caller sends the browser to sign in; nothing changed). A
 * refusal before any statement ran (oversized body, not an address, unknown action) leaves
 * `owner.session` undefined: the caller checks the session then.
 */
export async function handleAccountForm(
  database: Queryable,
  owner: SessionOwner,
  request: Request,
  ip: string,
): Promise<AccountFormOutcome | null> {
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await readBodyText(request, ACCOUNT_FORM_MAX_BYTES));
  } catch (error) {
    if (error instanceof HttpError && error.status === 413) {
      return {
        status: 413,
        message: 'That form was too large, so nothing was changed. Please try again from this page.',
      };
    }
    throw error;
  }
  switch (form.get('action')) {
    case 'sign-out-others': {
      const ended = await endOtherSessionsAs(database, owner);
      return ended === null ? null : { location: `/account?ended=${ended}`, signedOut: false };
    }
    case 'sign-out-everywhere':
      return (await endAllSessionsAs(database, owner)) ? { location: '/', signedOut: true } : null;
    case 'change-email': {
      const typed = (form.get('email') ?? '').slice(0, 320);
      const email = normalizeEmail(typed);
      // The typed text comes back with every refusal, so the field keeps it.
      if (!email) return { location: changeEmailAnswer({ 'email-error': 'invalid', email: typed }), signedOut: false };
      const outcome = await requestEmailChangeAs(database, owner, email, ip);
      if (!outcome) return null;
      if (outcome.status === 'sent') return { location: changeEmailAnswer({ 'email-sent': email }), signedOut: false };
      const fields: Record<string, string> = { 'email-error': outcome.status, email };
      if (outcome.status === 'too-many') fields['retry'] = String(outcome.retryAfterSeconds);
      return { location: changeEmailAnswer(fields), signedOut: false };
    }
    case 'delete-account': {
      // The same address rule as sign-in: what was typed must be the address the account has
      // (compared in the statement, which deletes nothing otherwise).
      const outcome = await deleteAccountAs(database, owner, normalizeEmail(form.get('confirm') ?? ''));
      if (!outcome) return null;
      if (!outcome.deleted) return { location: '/account?confirm-delete=1&error=mismatch#delete', signedOut: false };
      return { location: '/account/deleted', signedOut: true };
    }
    default:
      return { location: '/account?error=unknown-action', signedOut: false };
  }
}
