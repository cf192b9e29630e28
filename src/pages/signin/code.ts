/**
 * POST /signin/code: signs in the browser that asked for a link with the code from the email.
 * At most 5 attempts per code (counted atomically); a correct code completes Auth.js's own email
 * callback, so the session, the user record and the link's consumption are exactly as for a click.
 */
import type { APIRoute } from 'astro';
import { authRequest } from '../../lib/auth.server.ts';
import { config } from '../../lib/config.server.ts';
import { db } from '../../lib/db.server.ts';
import { HttpError, readBodyText } from '../../lib/http.server.ts';
import { normalizeCode, spendCodeAttempt, tokenForCode } from '../../lib/sign-in-codes.server.ts';
import { clearPendingSignIn, pendingSignIn } from '../../lib/sign-in.server.ts';

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
  const attempt = await spendCodeAttempt(db, pending.email, cfg.signIn.codeAttempts);
  if (attempt.status === 'none') return backToCode('code-expired');
  if (attempt.status === 'locked') return backToCode('code-locked');

  const token = tokenForCode(cfg.authSecret, attempt.salt, code);
  const query = new URLSearchParams({ callbackUrl: pending.callbackUrl, token, email: pending.email });
  const response = await authRequest(`/callback/email?${query}`, context.request);
  const location = response.headers.get('location') ?? '';
  if (response.status !== 302 || location.includes('/signin/error')) {
    return attempt.attemptsLeft > 0 ? backToCode('code-wrong', { left: String(attempt.attemptsLeft) }) : backToCode('code-locked');
  }

  clearPendingSignIn(context.cookies);
  const signedIn = context.redirect(new URL(location).pathname + new URL(location).search, 303);
  for (const cookie of response.headers.getSetCookie()) signedIn.headers.append('Set-Cookie', cookie);
  return signedIn;
};

export const ALL: APIRoute = () => new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } });
