/**
 * auth-astro's Auth.js handler, called on the configured site URL with a body the app built.
 *
 * Astro takes the Host header as given, so the URL is rebuilt on SITE_URL (authUrl); a POST's body
 * is the form the app read and checked (see auth-form.server.ts), so Auth.js never reads a field
 * the app didn't. Separate from auth-js.server.ts because auth-astro's handler (unlike @auth/core's
 * `Auth`) needs the `auth:config` module only the Astro build provides.
 */
import type { APIContext } from 'astro';
import { AstroAuth } from 'auth-astro/server';
import authConfig from '#auth-config';
import { surfaceDatabaseOutage } from '#lib/db/errors.server.ts';
import { authUrl } from './auth-js.server.ts';
import { withRequestUserAgent } from './session-device.server.ts';

const handler = AstroAuth(authConfig);

/** Hands the request to Auth.js at `path` (under /api/auth), with `form` as its body (a POST). */
export async function callAuthRoute(context: APIContext, path: string, form?: URLSearchParams): Promise<Response> {
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
  const response = await withRequestUserAgent(context.request, () =>
    surfaceDatabaseOutage(() => handler.GET({ request: onSite, cookies: context.cookies } as APIContext)),
  );
  return response ?? new Response('Not found', { status: 404 });
}
