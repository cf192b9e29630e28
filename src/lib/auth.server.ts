/**
 * Auth.js from the app's side: every call into Auth.js goes through `authRequest`, which builds
 * the URL from the configured SITE_URL (never the Host header), so magic links, redirects and the
 * `__Secure-` cookie choice follow the public URL.
 */
import { Auth } from '@auth/core';
import type { AstroCookies } from 'astro';
import authConfig from '../../auth.config.ts';
import { SESSION_COOKIE_NAMES } from './auth-constants.ts';
import { config } from './config.server.ts';
import { surfaceDatabaseOutage } from './db-errors.server.ts';
import { HttpError } from './http.server.ts';
import { safeCallbackPath } from './redirects.ts';

export const AUTH_PREFIX = '/api/auth';

/** `path` (under /api/auth) on the configured site URL, with the incoming request's query. */
export function authUrl(path: string, search = ''): URL {
  return new URL(`${AUTH_PREFIX}${path}${search}`, config().siteUrl);
}

/** Calls Auth.js in-process with the caller's headers (cookies included). */
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
  return Auth(new Request(authUrl(path), { ...init, headers }), authConfig);
}

/** Where to go after sign-in: a same-site path from `raw`, or the todo list. */
export function callbackPath(raw: string | null | undefined): string {
  return safeCallbackPath(raw, new URL(config().siteUrl).origin);
}

/** Removes the session cookie (both names) from the browser. */
export function clearSessionCookies(cookies: AstroCookies): void {
  for (const name of SESSION_COOKIE_NAMES) {
    cookies.delete(name, { path: '/', httpOnly: true, sameSite: 'lax', secure: name.startsWith('__Secure-') });
  }
}

export function sessionToken(cookies: AstroCookies): string | undefined {
  for (const name of SESSION_COOKIE_NAMES) {
    const value = cookies.get(name)?.value;
    if (value) return value;
  }
  return undefined;
}

export interface SessionRead {
  session: App.Locals['session'];
  /** Cookies Auth.js wants to set (a refreshed expiry, or clearing a dead session). */
  setCookies: string[];
}

/**
 * Reads the session from the database (one round trip). Callers skip this without a cookie.
 * Throws DatabaseUnavailableError during an outage (Auth.js would answer "no session" and clear
 * the cookie, signing the user out).
 */
export async function readSession(request: Request): Promise<SessionRead> {
  const response = await surfaceDatabaseOutage(() => authRequest('/session', request));
  const setCookies = response.headers.getSetCookie();
  const body = (await response.json().catch(() => null)) as App.Locals['session'] | null;
  if (!response.ok) throw new Error(`Auth.js session read failed with ${response.status}`);
  return { session: body?.user ? body : null, setCookies };
}

/** A CSRF token for Auth.js forms, plus the cookie that must accompany it. */
export async function csrfToken(request: Request): Promise<{ token: string; setCookies: string[] }> {
  const response = await authRequest('/csrf', request);
  const { csrfToken: token } = (await response.json()) as { csrfToken: string };
  return { token, setCookies: response.headers.getSetCookie() };
}

/** The guard every protected API route starts with: the signed-in user, or a 401. */
export function requireUser(locals: App.Locals): NonNullable<App.Locals['session']>['user'] {
  const user = locals.session?.user;
  if (!user) throw new HttpError(401, 'unauthorized', 'Sign in to use this endpoint.');
  return user;
}
