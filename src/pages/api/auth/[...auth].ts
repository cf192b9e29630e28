/**
 * Auth.js endpoints (sign-in, callback, session, csrf, ...) through auth-astro's handler.
 *
 * Before Auth.js sees a request, its URL is rebuilt on SITE_URL (Astro takes the Host header as
 * given), and a POST's body is rebuilt from the form fields the app read (see auth-form.server.ts):
 * Auth.js never reads a field the app didn't check. Asking for a sign-in email additionally goes
 * through our checks: a valid address, the shared rate limits (429 page, no email), and a friendly
 * answer when the email can't be sent. A sign-in completes only by POST (the confirm page's
 * button, or the code route in-process); a GET of the emailed callback URL lands on the confirm page.
 */
import type { APIContext, APIRoute } from 'astro';
import { AstroAuth } from 'auth-astro/server';
import authConfig from '#auth-config';
import { authUrl, AUTH_PREFIX, callbackPath } from '#lib/auth/auth-js.server.ts';
import { readAuthForm } from '#lib/sign-in/auth-form.server.ts';
import { surfaceDatabaseOutage } from '#lib/db/errors.server.ts';
import { errorResponse, HttpError } from '#lib/http/api.server.ts';
import { clientIp } from '#lib/sign-in/client-ip.server.ts';
import { hashNonce } from '#lib/sign-in/codes.server.ts';
import { checkSignInEmailLimits, newPendingNonce, normalizeEmail, setPendingSignIn } from '#lib/sign-in/sign-in.server.ts';
import { withSignInRequest } from '#lib/sign-in/request-state.server.ts';

export const prerender = false;

const handler = AstroAuth(authConfig);

/** Hands the request to Auth.js on the configured site URL, with `form` as its body (POST). */
async function callAuth(context: APIContext, path: string, form?: URLSearchParams): Promise<Response> {
  const headers = new Headers(context.request.headers);
  headers.delete('content-length');
  headers.delete('content-type');
  if (form) headers.set('content-type', 'application/x-www-form-urlencoded');
  const onSite = new Request(authUrl(path, context.url.search), {
    // Auth.js knows GET and POST; a HEAD is answered like a GET (the server drops the body).
    method: form ? 'POST' : 'GET',
    headers,
    ...(form ? { body: form.toString() } : {}),
  });
  // auth-astro's handler reads only `request` and `cookies` (spreading the context would touch
  // getters such as `csp` that warn when unused).
  // Auth.js turns adapter errors into its error page: an outage must answer 503 instead.
  const response = await surfaceDatabaseOutage(() => handler.GET({ request: onSite, cookies: context.cookies } as APIContext));
  return response ?? new Response('Not found', { status: 404 });
}

async function requestSignInEmail(context: APIContext, form: URLSearchParams): Promise<Response> {
  const callbackUrl = callbackPath(form.get('callbackUrl'));
  const back = (error: string) => context.redirect(`/signin?${new URLSearchParams({ error, callbackUrl })}`, 303);

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
    callAuth(context, '/signin/email', body),
  );
  if (state.mailFailed) return back('send-failed');
  if (result.status === 302 && result.headers.get('location')?.includes('/verify-request')) {
    // Remembers, in this browser only, whom the code on the check-email page is for.
    setPendingSignIn(context.cookies, { email, callbackUrl, nonce });
  }
  return result;
}

/**
 * The emailed callback URL opened by GET (a link on another site, an image, a prefetch): it must
 * not sign this browser in, so it shows the confirm page, whose button POSTs from this site.
 */
function toConfirmPage(context: APIContext): Response {
  return new Response(null, {
    status: 303,
    headers: { Location: `/signin/confirm${context.url.search}`, 'Cache-Control': 'private, no-store' },
  });
}

async function forward(context: APIContext): Promise<Response> {
  const path = context.url.pathname.slice(AUTH_PREFIX.length);
  const method = context.request.method;
  if (path === '/callback/email' && method !== 'POST') return toConfirmPage(context);
  if (method === 'GET' || method === 'HEAD') return callAuth(context, path);
  if (method !== 'POST') {
    return errorResponse(new HttpError(405, 'method_not_allowed', 'Use GET or POST on this URL.', { Allow: 'GET, HEAD, POST' }));
  }
  let form: URLSearchParams;
  try {
    // Read from a clone: the 429 answer is a rewrite, which needs the original body unread.
    form = await readAuthForm(context.request.clone());
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
  return path === '/signin/email' ? requestSignInEmail(context, form) : callAuth(context, path, form);
}

export const GET: APIRoute = forward;
export const HEAD: APIRoute = forward;
export const POST: APIRoute = forward;
export const ALL: APIRoute = forward;
