/**
 * The forms of /account, posted to the page itself: sign out of other sessions, sign out
 * everywhere, change the email address (a link to the new one), delete the account (after typing
 * the address to confirm). One function reads the
 * form and does what it asks; the page only answers with the outcome. The middleware has already
 * refused cross-site posts.
 */
import type { Database } from '#lib/db/index.server.ts';
import type { SignedIn } from '#lib/auth/session.server.ts';
import { normalizeEmail } from '#lib/auth/email-address.server.ts';
import { HttpError, readBodyText } from '#lib/http/api.server.ts';
import { deleteAccount, endAllSessions, endOtherSessions } from './accounts.server.ts';
import { requestEmailChange } from './email-change.server.ts';

/** The forms carry an action and at most an email address: anything bigger is not one of them. */
export const ACCOUNT_FORM_MAX_BYTES = 4096;

export type AccountFormOutcome =
  /** Done (or refused with a message in the URL): 303 to `location`; `signedOut`: clear the session cookie. */
  | { location: string; signedOut: boolean }
  /** The body was over ACCOUNT_FORM_MAX_BYTES: nothing was read or changed; answer 413 with `message`. */
  | { status: 413; message: string };

/** Where the change-email form's answers land: its section, with the address it was about. */
const changeEmailAnswer = (fields: Record<string, string>) => `/account?${new URLSearchParams(fields)}#change-email`;

/** Reads the posted form and applies it to the signed-in user's account (`ip`: for the mail limits). */
export async function handleAccountForm(
  database: Database,
  { user, token }: SignedIn,
  request: Request,
  ip: string,
): Promise<AccountFormOutcome> {
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
      const ended = await endOtherSessions(database, user.id, token);
      return { location: `/account?ended=${ended}`, signedOut: false };
    }
    case 'sign-out-everywhere':
      await endAllSessions(database, user.id);
      return { location: '/', signedOut: true };
    case 'change-email': {
      const typed = (form.get('email') ?? '').slice(0, 320);
      const email = normalizeEmail(typed);
      // The typed text comes back with every refusal, so the field keeps it.
      if (!email) return { location: changeEmailAnswer({ 'email-error': 'invalid', email: typed }), signedOut: false };
      const outcome = await requestEmailChange(database, user, email, ip);
      if (outcome.status === 'sent') return { location: changeEmailAnswer({ 'email-sent': email }), signedOut: false };
      const fields: Record<string, string> = { 'email-error': outcome.status, email };
      if (outcome.status === 'too-many') fields['retry'] = String(outcome.retryAfterSeconds);
      return { location: changeEmailAnswer(fields), signedOut: false };
    }
    case 'delete-account':
      // The same address rule as sign-in: what was typed must be the address the account has.
      if (normalizeEmail(form.get('confirm') ?? '') !== user.email) {
        return { location: '/account?confirm-delete=1&error=mismatch#delete', signedOut: false };
      }
      await deleteAccount(database, user.id);
      return { location: '/account/deleted', signedOut: true };
    default:
      return { location: '/account?error=unknown-action', signedOut: false };
  }
}
