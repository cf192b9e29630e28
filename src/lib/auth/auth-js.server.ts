/**
 * Auth.js from the app's side: every call into Auth.js goes through `authRequest`, which builds
 * the URL from the configured SITE_URL (never the Host header), so magic links, redirects and the
 * `__Secure-` cookie choice follow the public URL.
 */
import { Auth } from '@auth/core';
import type { AstroCookies } from 'astro';
import authConfig from '../../auth.config.ts';
import { SESSION_COOKIE_NAMES, SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from './auth-constants.ts';
import { siteIsHttps } from './app-cookies.server.ts';
import { config } from './config.server.ts';
import { surfaceDatabaseOutage } from './db-errors.server.ts';
import { HttpError } from './http.server.ts';
import { safeCallbackPath } from './redirects.ts';
import { lookUpSession, type SessionAdapter } from './session-lookup.server.ts';

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
  return surfaceDatabaseOutage(() => Auth(new Request(authUrl(path), { ...init, headers }), authConfig));
}

/** Where to go after sign-in: a same-site path from `raw`, or the todo list. */
export function callbackPath(raw: string | null | undefined): string {
  return safeCallbackPath(raw, new URL(config().siteUrl).origin);
}

/** The session cookie Auth.js uses on this site: the `__Secure-` name when it is served over https. */
export function sessionCookieName(): string {
  const [secureName, plainName] = SESSION_COOKIE_NAMES;
  return siteIsHttps() ? secureName : plainName;
}

const sessionCookieOptions = (name: string) => ({ path: '/', httpOnly: true, sameSite: 'lax', secure: name.startsWith('__Secure-') }) as const;

/** Removes the session cookie (both names) from the browser. */
export function clearSessionCookies(cookies: AstroCookies): void {
  for (const name of SESSION_COOKIE_NAMES) cookies.delete(name, sessionCookieOptions(name));
}

/** The session token from this site's session cookie (the only name Auth.js itself reads here). */
export function sessionToken(cookies: AstroCookies): string | undefined {
  return cookies.get(sessionCookieName())?.value || undefined;
}

const SESSION_POLICY = { maxAgeSeconds: SESSION_MAX_AGE_SECONDS, updateAgeSeconds: SESSION_UPDATE_AGE_SECONDS };

/**
 * The signed-in session for this request's cookie, in one database round trip (plus a write once
 * a day per session, when it is extended), with Auth.js's rules (see session-lookup.server.ts).
 * Updates the cookie when the session was extended or is dead. Callers skip this without a cookie.
 * An outage throws DatabaseUnavailableError: it must answer 503, never "signed out".
 */
export async function readSession(cookies: AstroCookies): Promise<App.Locals['session']> {
  const token = sessionToken(cookies);
  if (!token) return null;
  const { session, cookie } = await lookUpSession(authConfig.adapter as SessionAdapter, token, SESSION_POLICY);
  if (cookie.action === 'clear') clearSessionCookies(cookies);
  if (cookie.action === 'extend') {
    const name = sessionCookieName();
    cookies.set(name, token, { ...sessionCookieOptions(name), expires: cookie.expires });
  }
  return session;
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
