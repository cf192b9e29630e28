/**
 * "Email me a sign-in link" (POST /api/auth/signin/email), the app's steps around Auth.js's: a valid
 * address, the "Resend" cooldown, the shared rate limits (their own page, no email), Auth.js called
 * with exactly the address that was checked, a friendly answer when the email can't be sent, the
 * signed pending cookie that lets this browser enter the emailed code, and the remembered address.
 * Every answer that sends the person back carries the address they typed, so no field comes back empty.
 */
import type { APIContext } from 'astro';
import { callAuthRoute } from '#lib/auth/auth-handler.server.ts';
import { callbackPath } from '#lib/auth/auth-js.server.ts';
import { normalizeEmail } from '#lib/auth/email-address.server.ts';
import { signInPath } from '#lib/auth/redirects.ts';
import { PRIVATE_NO_STORE } from '#lib/http/cache-control.ts';
import { clientIp } from './client-ip.server.ts';
import { hashNonce } from './codes.server.ts';
import { withSignInRequest } from './request-state.server.ts';
import {
  checkSignInEmailLimits,
  newPendingNonce,
  pendingSignIn,
  rememberAddress,
  resendWaitSeconds,
  setPendingSignIn,
} from './sign-in.server.ts';

/** Longer input is not an address; it comes back cut to this, so the URL stays bounded. */
const MAX_TYPED = 320;

const redirect = (location: string, headers: Record<string, string> = {}) =>
  new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': PRIVATE_NO_STORE, ...headers } });

/** `form`: the fields readAuthForm accepted. */
export async function requestSignInEmail(context: APIContext, form: URLSearchParams): Promise<Response> {
  const callbackUrl = callbackPath(form.get('callbackUrl'));
  const typed = (form.get('email') ?? '').slice(0, MAX_TYPED);
  const back = (error: string) => redirect(signInPath(callbackUrl, { error, email: typed }));

  const email = normalizeEmail(typed);
  if (!email) return back('invalid-email');

  // "Resend" pressed again before its cooldown: nothing is sent or counted (this browser only; the
  // limits below hold for everyone else).
  const pending = pendingSignIn(context.cookies);
  const resend = pending?.email === email;
  if (resend && resendWaitSeconds(pending) > 0) return redirect('/signin/check-email?error=resend-wait');

  // Counted before anything is sent, for known and unknown addresses alike.
  const limit = await checkSignInEmailLimits(email, clientIp(context));
  if (!limit.allowed) {
    // A page of its own (reloadable, with its own URL) that says until when.
    const until = String(Math.ceil(Date.now() / 1000) + limit.retryAfterSeconds);
    return redirect(`/signin/too-many-requests?${new URLSearchParams({ email, until, callbackUrl })}`, {
      'Retry-After': String(limit.retryAfterSeconds),
    });
  }

  // Auth.js gets exactly the address that was validated and counted, and nothing else.
  const body = new URLSearchParams({ email, csrfToken: form.get('csrfToken') ?? '', callbackUrl });
  const nonce = newPendingNonce();
  const { result, state } = await withSignInRequest({ email, nonceHash: hashNonce(nonce) }, () =>
    callAuthRoute(context, '/signin/email', body),
  );
  if (state.mailFailed) return back('send-failed');
  const location = result.headers.get('location');
  if (result.status === 302 && location?.includes('/verify-request')) {
    // Remembers, in this browser only, whom the code on the check-email page is for.
    setPendingSignIn(context.cookies, { email, callbackUrl, nonce, sentAt: Date.now() });
    rememberAddress(context.cookies, email);
    if (resend) {
      const answer = new Response(null, { status: 302, headers: new Headers(result.headers) });
      answer.headers.set('Location', '/signin/check-email?resent=1');
      return answer;
    }
  }
  return result;
}
