/**
 * POST /signin/code: signs in the browser that asked for a link with the code from the email
 * (src/lib/sign-in/complete-with-code.server.ts). Always a 303: to the page the sign-in was for,
 * or back to a page that says what went wrong.
 */
import type { APIRoute } from 'astro';
import { completeSignInWithCode } from '#lib/sign-in/complete-with-code.server.ts';
import { clearPendingSignIn, pendingSignIn } from '#lib/sign-in/sign-in.server.ts';

export const POST: APIRoute = async (context) => {
  const outcome = await completeSignInWithCode(pendingSignIn(context.cookies), context.request);
  if (outcome.signedIn) clearPendingSignIn(context.cookies);
  const response = context.redirect(outcome.location, 303);
  if (outcome.signedIn) for (const cookie of outcome.setCookies) response.headers.append('Set-Cookie', cookie);
  return response;
};

export const ALL: APIRoute = () => new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } });
