/**
 * Runs for every on-demand request (not for prerendered files):
 * 1. refuses methods pages don't take, and cross-origin state changes (forms and JSON alike),
 * 2. offers `locals.session()`: the session, read only when a route asks (at most once, and not at
 *    all without a session cookie). Routes that read or write the user's data never ask: their
 *    own statement checks the session (one database round trip, src/lib/auth/session-owner.server.ts),
 * 3. adds security headers (server-island fragments get a policy of their own).
 */
import { defineMiddleware } from 'astro:middleware';
import { offerSession } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { isDatabaseUnavailable } from '#lib/db/errors.server.ts';
import { unavailableResponse } from '#lib/http/unavailable.server.ts';
import { isCrossSiteWrite } from '#lib/http/origin.server.ts';
import { applySecurityHeaders, FRAGMENT_POLICY, withPolicy } from '#lib/http/security-headers.ts';
import { ISLAND_PREFIX } from '#lib/http/server-islands.ts';

const PAGE_METHODS = new Set(['GET', 'HEAD', 'POST']);

export const onRequest = defineMiddleware(async (context, next) => {
  offerSession(context.locals, db, context.cookies);
  if (context.isPrerendered) return next();

  // Pages render for any method; outside the JSON API only GET, HEAD and (form) POST mean anything.
  if (!PAGE_METHODS.has(context.request.method) && !context.url.pathname.startsWith('/api/')) {
    return applySecurityHeaders(
      new Response('Method not allowed.', {
        status: 405,
        headers: { Allow: 'GET, HEAD, POST', 'Content-Type': 'text/plain; charset=utf-8' },
      }),
    );
  }

  if (isCrossSiteWrite(context.request)) {
    const isApi = context.url.pathname.startsWith('/api/');
    return applySecurityHeaders(
      isApi
        ? Response.json(
            { error: { code: 'forbidden', message: 'Cross-origin requests may not change data.' } },
            { status: 403 },
          )
        : new Response('Cross-site form submissions are forbidden.', { status: 403 }),
    );
  }

  // A database outage answers 503 (friendly page, or JSON for the API) and never signs anyone out.
  let response: Response;
  try {
    response = await next();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return applySecurityHeaders(unavailableResponse(context.url));
  }
  if (context.url.pathname.startsWith(ISLAND_PREFIX)) response = withPolicy(response, FRAGMENT_POLICY);
  return applySecurityHeaders(response);
});
