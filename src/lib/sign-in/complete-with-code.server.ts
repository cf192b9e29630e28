/**
 * Signing in with the code from the email (POST /signin/code), in the browser that asked for it.
 *
 * The browser must hold the signed pending cookie whose nonce was stored with the code (a forged
 * or altered cookie is no pending sign-in). At most 5 tries per code (`signIn.codeAttempts`, counted
 * atomically); a correct code completes Auth.js's own email callback, so the session, the user
 * record and the link's consumption are exactly as for a click.
 */
import { authRequest, callbackPath } from '#lib/auth/auth-js.server.ts';
import { config } from '#lib/config/config.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, readBodyText } from '#lib/http/api.server.ts';
import { hashNonce, normalizeCode, spendCodeAttempt, tokenForCode } from './codes.server.ts';
import type { PendingSignIn } from './sign-in.server.ts';

/** The form has one short field. */
const CODE_FORM_MAX_BYTES = 1024;

export type CodeOutcome =
  /** Not signed in: 303 to `location`, a page that says why. */
  | { signedIn: false; location: string }
  /** Signed in: 303 to `location` with Auth.js's `setCookies` (the session); the pending cookie is spent. */
  | { signedIn: true; location: string; setCookies: string[] };

const backToCode = (error: string, extra: Record<string, string> = {}): CodeOutcome => ({
  signedIn: false,
  location: `/signin/check-email?${new URLSearchParams({ error, ...extra })}`,
});

/** Checks the posted code against this browser's pending sign-in (`pending`: from its cookie). */
export async function completeSignInWithCode(pending: PendingSignIn | null, request: Request): Promise<CodeOutcome> {
  if (!pending) return { signedIn: false, location: '/signin?error=code-session' };

  let body: string;
  try {
    body = await readBodyText(request, CODE_FORM_MAX_BYTES);
  } catch (error) {
    if (error instanceof HttpError) return backToCode('code-format');
    throw error;
  }
  const code = normalizeCode(new URLSearchParams(body).get('code') ?? '');
  if (!code) return backToCode('code-format');

  const cfg = config();
  // Only the code row this browser's nonce belongs to: guesses elsewhere can't spend its attempts.
  const attempt = await spendCodeAttempt(db, pending.email, hashNonce(pending.nonce), cfg.signIn.codeAttempts);
  if (attempt.status === 'none') return backToCode('code-expired');
  if (attempt.status === 'locked') return backToCode('code-locked');

  const token = tokenForCode(cfg.authSecret, attempt.salt, code);
  const query = new URLSearchParams({ callbackUrl: pending.callbackUrl, token, email: pending.email });
  // By POST, like the confirm page's button (a GET of the callback only shows that page).
  const response = await authRequest(`/callback/email?${query}`, request, { method: 'POST' });
  const location = response.headers.get('location') ?? '';
  if (response.status !== 302 || location.includes('/signin/error')) {
    return attempt.attemptsLeft > 0
      ? backToCode('code-wrong', { left: String(attempt.attemptsLeft) })
      : backToCode('code-locked');
  }
  return { signedIn: true, location: callbackPath(location), setCookies: response.headers.getSetCookie() };
}
