/**
 * "Email me a sign-in link" (POST /api/auth/signin/email), the app's steps around Auth.js's: a valid
 * address, the shared rate limits (429 page, no email), Auth.js called with exactly the address
 * that was checked, a friendly answer when the email can't be sent, and the signed pending cookie
 * that lets this browser enter the emailed code.
 */
import type { APIContext } from 'astro';
import { callAuthRoute } from '#lib/auth/auth-handler.server.ts';
import { callbackPath } from '#lib/auth/auth-js.server.ts';
import { normalizeEmail } from '#lib/auth/email-address.server.ts';
import { signInPath } from '#lib/auth/redirects.ts';
import { clientIp } from './client-ip.server.ts';
import { hashNonce } from './codes.server.ts';
import { withSignInRequest } from './request-state.server.ts';
import { checkSignInEmailLimits, newPendingNonce, setPendingSignIn } from './sign-in.server.ts';

/** `form`: the fields readAuthForm accepted. */
export async function requestSignInEmail(context: APIContext, form: URLSearchParams): Promise<Response> {
  const callbackUrl = callbackPath(form.get('callbackUrl'));
  const back = (error: string) => context.redirect(signInPath(callbackUrl, { error }), 303);

  const email = normalizeEmail(form.get('email') ?? '');
  if (!email) return back('invalid-email');

  // Counted before anything is sent, for known and unknown addresses alike.
  const limit = await checkSignInEmailLimits(email, clientIp(context));
  if (!limit.allowed) {
    context.locals.retryAfterSeconds = limit.retryAfterSeconds;
    return context.rewrite('/signin/too-many-requests');
  }

  // Auth.js gets exactly the address that was validated and counted, and nothing else.
  const body = new URLSearchParams({ email, csrfToken: form.get('csrfToken') ?? '', callbackUrl });
  const nonce = newPendingNonce();
  const { result, state } = await withSignInRequest({ email, nonceHash: hashNonce(nonce) }, () =>
    callAuthRoute(context, '/signin/email', body),
  );
  if (state.mailFailed) return back('send-failed');
  if (result.status === 302 && result.headers.get('location')?.includes('/verify-request')) {
    // Remembers, in this browser only, whom the code on the check-email page is for.
    setPendingSignIn(context.cookies, { email, callbackUrl, nonce });
  }
  return result;
}
