/**
 * POST /todos/<action>: the no-JavaScript forms of /todos (add, toggle, edit, delete,
 * clear-completed, complete-all, restore). Always answers 303 back to the list (or to sign in); the
 * middleware has already refused cross-origin posts. The session check is part of the action's
 * statement (one round trip); a post refused before any statement ran checks the session alone.
 */
import type { APIRoute } from 'astro';
import { signInPath } from '#lib/auth/redirects.ts';
import { requestOwner, settleSession } from '#lib/auth/session-owner.server.ts';
import { readSession } from '#lib/auth/session.server.ts';
import { db } from '#lib/db/index.server.ts';
import { PRIVATE_NO_STORE } from '#lib/http/cache-control.ts';
import { handleTodoForm, isFormAction, setRefusedText } from '#todos/forms.server.ts';

const redirect = (location: string): Response =>
  new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': PRIVATE_NO_STORE } });

export const POST: APIRoute = async ({ cookies, params, request }) => {
  if (!isFormAction(params.action)) {
    return new Response('No such action. Go back to /todos.', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  // Back to the list (this URL only takes posts).
  const toSignIn = () => redirect(signInPath('/todos'));
  const owner = requestOwner(cookies);
  if (!owner) return toSignIn();
  const outcome = await handleTodoForm(db, owner, params.action, request);
  if (owner.session === undefined) {
    // No statement ran (an empty add, or a refusal): the session is checked on its own.
    if (!(await readSession(db, cookies))) return toSignIn();
  } else if (!settleSession(cookies, owner) || !outcome) {
    return toSignIn();
  }
  if (!outcome) return toSignIn();
  if (outcome.refusedText) setRefusedText(cookies, outcome.refusedText);
  return redirect(outcome.location);
};

/** A GET here (a reload of an old URL, a typed address) goes to the list instead. */
export const ALL: APIRoute = () => redirect('/todos');
