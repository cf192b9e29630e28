/**
 * Auth.js endpoints (sign-in, callback, session, csrf, ...) through auth-astro's handler.
 *
 * Before Auth.js sees a request, its URL is rebuilt on SITE_URL (Astro takes the Host header as
 * given). Asking for a sign-in email additionally goes through our checks: a valid address, the
 * shared rate limits (429 page, no email), and a friendly answer when the email can't be sent.
 */
import type { APIContext, APIRoute } from 'astro';
import { AstroAuth } from 'auth-astro/server';
import authConfig from '../../../../auth.config.ts';
import { authUrl, AUTH_PREFIX, callbackPath } from '../../../lib/auth.server.ts';
import { surfaceDatabaseOutage } from '../../../lib/db-errors.server.ts';
import { HttpError, readBodyText } from '../../../lib/http.server.ts';
import { clientIp } from '../../../lib/client-ip.server.ts';
import { checkSignInEmailLimits, normalizeEmail, setPendingSignIn } from '../../../lib/sign-in.server.ts';
import { withSignInRequest } from '../../../lib/sign-in-request.server.ts';

export const prerender = false;

const handler = AstroAuth(authConfig);

/** Hands the request to Auth.js on the configured site URL. */
async function callAuth(context: APIContext, path: string, body: string | undefined): Promise<Response> {
  const onSite = new Request(authUrl(path, context.url.search), {
    method: context.request.method,
    headers: context.request.headers,
    ...(body === undefined ? {} : { body }),
  });
  // auth-astro's handler reads only `request` and `cookies` (spreading the context would touch
  // getters such as `csp` that warn when unused).
  // Auth.js turns adapter errors into its error page: an outage must answer 503 instead.
  const response = await surfaceDatabaseOutage(() => handler.GET({ request: onSite, cookies: context.cookies } as APIContext));
  return response ?? new Response('Not found', { status: 404 });
}

async function requestSignInEmail(context: APIContext, body: string): Promise<Response> {
  const form = new URLSearchParams(body);
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

  const { result, state } = await withSignInRequest(() => callAuth(context, '/signin/email', body));
  if (state.mailFailed) return back('send-failed');
  if (result.status === 302 && result.headers.get('location')?.includes('/verify-request')) {
    // Remembers, in this browser only, whom the code on the check-email page is for.
    setPendingSignIn(context.cookies, { email, callbackUrl });
  }
  return result;
}

async function forward(context: APIContext): Promise<Response> {
  const path = context.url.pathname.slice(AUTH_PREFIX.length);
  if (context.request.method !== 'POST') return callAuth(context, path, undefined);
  let body: string;
  try {
    // Read from a clone: the 429 answer is a rewrite, which needs the original body unread.
    body = await readBodyText(context.request.clone());
  } catch (error) {
    if (error instanceof HttpError) return new Response(error.message, { status: error.status });
    throw error;
  }
  return path === '/signin/email' ? requestSignInEmail(context, body) : callAuth(context, path, body);
}

export const GET: APIRoute = forward;
export const POST: APIRoute = forward;
