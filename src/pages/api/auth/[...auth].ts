/**
 * Auth.js endpoints (sign-in, callback, session, csrf, ...): the app's checks, then auth-astro's
 * handler on SITE_URL. All of it is in src/lib/auth/auth-route.server.ts.
 */
import type { APIRoute } from 'astro';
import { handleAuthRoute } from '#lib/auth/auth-route.server.ts';

export const prerender = false;

export const GET: APIRoute = handleAuthRoute;
export const HEAD: APIRoute = handleAuthRoute;
export const POST: APIRoute = handleAuthRoute;
export const ALL: APIRoute = handleAuthRoute;
