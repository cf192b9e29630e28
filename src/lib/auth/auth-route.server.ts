/**
 * What /api/auth/* does before Auth.js sees a request (src/pages/api/auth/[...auth].ts is only
 * this): a POST's body read into the one accepted form shape (auth-form.server.ts); asking for a
 * sign-in email goes through the app's own steps (request-email.server.ts); everything else goes
 * to Auth.js on SITE_URL (auth-handler.server.ts). A sign-in completes only by POST (the confirm
 * page's button, or the code route in-process): a GET of the emailed callback URL lands on the
 * confirm page.
 */
import type { APIContext } from 'astro';
import { PRIVATE_NO_STORE } from '#lib/http/cache-control.ts';
import { errorResponse, HttpError } from '#lib/http/api.server.ts';
import { readAuthForm } from '#lib/sign-in/auth-form.server.ts';
import { requestSignInEmail } from '#lib/sign-in/request-email.server.ts';
import { callAuthRoute } from './auth-handler.server.ts';
import { AUTH_PREFIX } from './auth-js.server.ts';

/**
 * The emailed callback URL opened by GET (a link on another site, an image, a prefetch): it must
 * not sign this browser in, so it shows the confirm page, whose button POSTs from this site.
 */
function toConfirmPage(context: APIContext): Response {
  return new Response(null, {
    status: 303,
    headers: { Location: `/signin/confirm${context.url.search}`, 'Cache-Control': PRIVATE_NO_STORE },
  });
}

/** Answers any request under /api/auth. */
export async function handleAuthRoute(context: APIContext): Promise<Response> {
  const path = context.url.pathname.slice(AUTH_PREFIX.length);
  const method = context.request.method;
  if (path === '/callback/email' && method !== 'POST') return toConfirmPage(context);
  if (method === 'GET' || method === 'HEAD') return callAuthRoute(context, path);
  if (method !== 'POST') {
    return errorResponse(
      new HttpError(405, 'method_not_allowed', 'Use GET or POST on this URL.', { Allow: 'GET, HEAD, POST' }),
    );
  }
  let form: URLSearchParams;
  try {
    // Read from a clone: the 429 answer is a rewrite, which needs the original body unread.
    form = await readAuthForm(context.request.clone());
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
  return path === '/signin/email' ? requestSignInEmail(context, form) : callAuthRoute(context, path, form);
}
