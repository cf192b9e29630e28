/**
 * POST /todos/<action>: the no-JavaScript forms of /todos (add, toggle, edit, delete,
 * clear-completed, complete-all). Always answers 303 back to the list; the middleware has already
 * refused cross-origin posts.
 */
import type { APIRoute } from 'astro';
import { signInPath } from '#lib/auth/redirects.ts';
import { db } from '#lib/db/index.server.ts';
import { PRIVATE_NO_STORE } from '#lib/http/cache-control.ts';
import { handleTodoForm, isFormAction, setRefusedText } from '#todos/forms.server.ts';

const redirect = (location: string): Response =>
  new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': PRIVATE_NO_STORE } });

export const POST: APIRoute = async ({ cookies, locals, params, request }) => {
  if (!isFormAction(params.action)) {
    return new Response('No such action. Go back to /todos.', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const user = locals.session?.user;
  // Back to the list (this URL only takes posts).
  if (!user) return redirect(signInPath('/todos'));
  const { location, refusedText } = await handleTodoForm(db, user.id, params.action, request);
  if (refusedText) setRefusedText(cookies, refusedText);
  return redirect(location);
};

/** A GET here (a reload of an old URL, a typed address) goes to the list instead. */
export const ALL: APIRoute = () => redirect('/todos');
