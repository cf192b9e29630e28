/**
 * POST /signin/code: signs in the browser that asked for a link with the code from the email.
 * The browser must hold the signed pending cookie whose nonce was stored with the code (a forged
 * or altered cookie is no pending sign-in). At most 5 attempts per code (counted atomically); a
 * correct code completes Auth.js's own email callback, so the session, the user record and the
 * link's consumption are exactly as for a click.
 */
import type { APIRoute } from 'astro';
import { authRequest, callbackPath } from '#lib/auth/auth-js.server.ts';
import { config } from '#lib/config/config.server.ts';
import { db } from '#lib/db/index.server.ts';
import { HttpError, readBodyText } from '#lib/http/api.server.ts';
import { hashNonce, normalizeCode, spendCodeAttempt, tokenForCode } from '#lib/sign-in/codes.server.ts';
import { clearPendingSignIn, pendingSignIn } from '#lib/sign-in/sign-in.server.ts';

export const POST: APIRoute = async (context) => {
  const backToCode = (error: string, extra: Record<string, string> = {}) =>
    context.redirect(`/signin/check-email?${new URLSearchParams({ error, ...extra })}`, 303);

  const pending = pendingSignIn(context.cookies);
  if (!pending) return context.redirect('/signin?error=code-session', 303);

  let body: string;
  try {
    body = await readBodyText(context.request, 1024);
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
  const response = await authRequest(`/callback/email?${query}`, context.request, { method: 'POST' });
  const location = response.headers.get('location') ?? '';
  if (response.status !== 302 || location.includes('/signin/error')) {
    return attempt.attemptsLeft > 0 ? backToCode('code-wrong', { left: String(attempt.attemptsLeft) }) : backToCode('code-locked');
  }

  clearPendingSignIn(context.cookies);
  const signedIn = context.redirect(callbackPath(location), 303);
  for (const cookie of response.headers.getSetCookie()) signedIn.headers.append('Set-Cookie', cookie);
  return signedIn;
};

export const ALL: APIRoute = () => new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } });
