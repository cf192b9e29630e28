/**
 * Auth.js from the app's side: every call into Auth.js goes through `authRequest`, which builds
 * the URL from the configured SITE_URL (never the Host header), so magic links, redirects and the
 * `__Secure-` cookie choice follow the public URL.
 */
import { Auth } from '@auth/core';
import authConfig from '#auth-config';
import { config } from '#lib/config/config.server.ts';
import { surfaceDatabaseOutage } from '#lib/db/errors.server.ts';
import { safeCallbackPath } from './redirects.ts';
import { withRequestUserAgent } from './session-device.server.ts';

export const AUTH_PREFIX = '/api/auth';

/** `path` (under /api/auth) on the configured site URL, with the incoming request's query. */
export function authUrl(path: string, search = ''): URL {
  return new URL(`${AUTH_PREFIX}${path}${search}`, config().siteUrl);
}

/**
 * Calls Auth.js in-process with the caller's headers (cookies included). Auth.js answers adapter
 * errors with its error page; a database outage throws DatabaseUnavailableError instead (503).
 */
export function authRequest(path: string, incoming: Request, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(incoming.headers);
  // Auth.js derives origins from the URL we give it; a forwarded host must not override it.
  headers.delete('x-forwarded-host');
  headers.delete('x-forwarded-proto');
  if (init.body === undefined) {
    // The incoming request's body is not forwarded, so neither are its framing headers.
    headers.delete('content-length');
    headers.delete('content-type');
  }
  return withRequestUserAgent(incoming, () =>
    surfaceDatabaseOutage(() => Auth(new Request(authUrl(path), { ...init, headers }), authConfig)),
  );
}

/** Where to go after sign-in: a same-site path from `raw`, or the todo list. */
export function callbackPath(raw: string | null | undefined): string {
  return safeCallbackPath(raw, new URL(config().siteUrl).origin);
}

/** A CSRF token for Auth.js forms, plus the cookie that must accompany it. */
export async function csrfToken(request: Request): Promise<{ token: string; setCookies: string[] }> {
  const response = await authRequest('/csrf', request);
  const { csrfToken: token } = (await response.json()) as { csrfToken: string };
  return { token, setCookies: response.headers.getSetCookie() };
}
