/**
 * Runs for every on-demand request (not for prerendered files):
 * 1. refuses cross-origin state changes (forms and JSON alike),
 * 2. reads the session at most once, and not at all without a session cookie (no database query),
 * 3. adds security headers.
 */
import { defineMiddleware } from 'astro:middleware';
import { readSession, sessionToken } from './lib/auth.server.ts';
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

  let setCookies: string[] = [];
  if (sessionToken(context.cookies)) {
    const read = await readSession(context.request);
    context.locals.session = read.session;
    setCookies = read.setCookies;
  }

  const response = await next();
  for (const cookie of setCookies) response.headers.append('Set-Cookie', cookie);
  return applySecurityHeaders(response);
});
