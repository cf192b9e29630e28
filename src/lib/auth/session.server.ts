/**
 * The session of a request: read once per request by the middleware (src/middleware.ts) into
 * `Astro.locals.session`, and the guards protected pages (`requireSignedIn`) and API routes
 * (`requireUser`) start with.
 */
import type { AstroCookies } from 'astro';
import authConfig from '#auth-config';
import { HttpError } from '#lib/http/api.server.ts';
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from './constants.ts';
import { clearSessionCookies, sessionCookieName, sessionCookieOptions, sessionToken } from './session-cookie.server.ts';
import { lookUpSession, type SessionAdapter } from './session-lookup.server.ts';
import { signInPath } from './redirects.ts';

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

/** The guard every protected API route starts with: the signed-in user, or a 401. */
export function requireUser(locals: App.Locals): NonNullable<App.Locals['session']>['user'] {
  const user = locals.session?.user;
  if (!user) throw new HttpError(401, 'unauthorized', 'Sign in to use this endpoint.');
  return user;
}

type SessionUser = NonNullable<App.Locals['session']>['user'];

/** A signed-in request: the user, and the raw token of this browser's session (to tell it from the others). */
export interface SignedIn {
  user: SessionUser;
  token: string;
}

/** What a page's `Astro` (or an endpoint's context) offers the guard. */
interface PageContext {
  locals: App.Locals;
  cookies: AstroCookies;
  url: URL;
  redirect(path: string, status: 303): Response;
}

/**
 * The guard every signed-in page starts with: the signed-in user, or the redirect (303) to sign in
 * and come back to `backTo` (this page's path unless told otherwise). In a page:
 * `const signedIn = requireSignedIn(Astro); if (signedIn instanceof Response) return signedIn;`
 */
export function requireSignedIn(context: PageContext, backTo: string = context.url.pathname): SignedIn | Response {
  const user = context.locals.session?.user;
  const token = sessionToken(context.cookies);
  if (user && token) return { user, token };
  return context.redirect(signInPath(backTo), 303);
}
