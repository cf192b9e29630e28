/**
 * Auth.js endpoints (sign-in, callback, session, csrf, ...) through auth-astro's handler.
 *
 * Before Auth.js sees a request, its URL is rebuilt on SITE_URL (Astro takes the Host header as
 * given), and a sign-in's email address is checked so a typo gets the form back with a message
 * instead of Auth.js's generic error page.
 */
import type { APIContext, APIRoute } from 'astro';
import { AstroAuth } from 'auth-astro/server';
import { z } from 'zod';
import authConfig from '../../../../auth.config.ts';
import { authUrl, AUTH_PREFIX, callbackPath } from '../../../lib/auth.server.ts';
import { HttpError, readBodyText } from '../../../lib/http.server.ts';

export const prerender = false;

const handler = AstroAuth(authConfig);
const emailSchema = z.email().max(254);

async function forward(context: APIContext): Promise<Response> {
  const { request } = context;
  const path = context.url.pathname.slice(AUTH_PREFIX.length);
  let body: string | undefined;
  if (request.method === 'POST') {
    try {
      body = await readBodyText(request);
    } catch (error) {
      if (error instanceof HttpError) return new Response(error.message, { status: error.status });
      throw error;
    }
    if (path === '/signin/email') {
      const form = new URLSearchParams(body);
      const email = form.get('email')?.trim() ?? '';
      if (!emailSchema.safeParse(email).success) {
        const back = new URLSearchParams({ error: 'invalid-email', callbackUrl: callbackPath(form.get('callbackUrl')) });
        return context.redirect(`/signin?${back}`, 303);
      }
    }
  }
  const onSite = new Request(authUrl(path, context.url.search), {
    method: request.method,
    headers: request.headers,
    ...(body === undefined ? {} : { body }),
  });
  // auth-astro's handler reads only `request` and `cookies` (spreading the context would touch
  // getters such as `csp` that warn when unused).
  const response = await handler.GET({ request: onSite, cookies: context.cookies } as APIContext);
  return response ?? new Response('Not found', { status: 404 });
}

export const GET: APIRoute = forward;
export const POST: APIRoute = forward;
