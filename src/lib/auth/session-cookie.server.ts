/**
 * Auth.js's session cookie as the app reads, extends and clears it: the `__Secure-` name on an
 * https site, the plain name otherwise; sign-out clears both names.
 */
import type { AstroCookies } from 'astro';
import { siteIsHttps } from './app-cookies.server.ts';
import { SESSION_COOKIE_NAMES } from './constants.ts';

/** The session cookie Auth.js uses on this site: the `__Secure-` name when it is served over https. */
export function sessionCookieName(): string {
  const [secureName, plainName] = SESSION_COOKIE_NAMES;
  return siteIsHttps() ? secureName : plainName;
}

export const sessionCookieOptions = (name: string) =>
  ({ path: '/', httpOnly: true, sameSite: 'lax', secure: name.startsWith('__Secure-') }) as const;

/** Removes the session cookie (both names) from the browser. */
export function clearSessionCookies(cookies: AstroCookies): void {
  for (const name of SESSION_COOKIE_NAMES) cookies.delete(name, sessionCookieOptions(name));
}

/** The session token from this site's session cookie (the only name Auth.js itself reads here). */
export function sessionToken(cookies: AstroCookies): string | undefined {
  return cookies.get(sessionCookieName())?.value || undefined;
}
