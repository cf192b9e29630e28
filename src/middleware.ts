/**
 * Runs for every on-demand request (not for prerendered files):
 * 1. refuses cross-origin state changes (forms and JSON alike),
 * 2. reads the session at most once, and not at all without a session cookie (no database query),
 * 3. adds security headers.
 */
import { defineMiddleware } from 'astro:middleware';
import { readSession, sessionToken } from './lib/auth.server.ts';
import { isDatabaseUnavailable } from './lib/db-errors.server.ts';
import { unavailableResponse } from './lib/unavailable.server.ts';
import { isCrossSiteWrite } from './lib/origin.server.ts';
import { applySecurityHeaders } from './lib/security-headers.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.session = null;
  if (context.isPrerendered) return next();

  if (isCrossSiteWrite(context.request, context.url)) {
    const isApi = context.url.pathname.startsWith('/api/');
    return applySecurityHeaders(
      isApi
        ? Response.json({ error: { code: 'forbidden', message: 'Cross-origin requests may not change data.' } }, { status: 403 })
        : new Response('Cross-site form submissions are forbidden.', { status: 403 }),
    );
  }

  // A database outage answers 503 (friendly page, or JSON for the API) and never signs anyone out.
  let setCookies: string[] = [];
  let response: Response;
  try {
    if (sessionToken(context.cookies)) {
      const read = await readSession(context.request);
      context.locals.session = read.session;
      setCookies = read.setCookies;
    }
    response = await next();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return applySecurityHeaders(unavailableResponse(context.url));
  }
  for (const cookie of setCookies) response.headers.append('Set-Cookie', cookie);
  return applySecurityHeaders(response);
});
