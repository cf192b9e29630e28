/**
 * GET /account/export: the signed-in person's data as a JSON download (src/lib/account/export.server.ts),
 * one statement with the session check. Signed out: to sign-in and back here.
 */
import type { APIRoute } from 'astro';
import { exportAccount } from '#lib/account/export.server.ts';
import { signInPath } from '#lib/auth/redirects.ts';
import { requestOwner, settleSession } from '#lib/auth/session-owner.server.ts';
import { db } from '#lib/db/index.server.ts';
import { PRIVATE_NO_STORE } from '#lib/http/cache-control.ts';

export const GET: APIRoute = async ({ cookies, redirect }) => {
  const owner = requestOwner(cookies);
  const data = owner && (await exportAccount(db, owner));
  if (!settleSession(cookies, owner) || !data) return redirect(signInPath('/account'), 303);
  const day = data.exportedAt.slice(0, 10);
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="account-export-${day}.json"`,
      'Cache-Control': PRIVATE_NO_STORE,
    },
  });
};

export const ALL: APIRoute = () => new Response('Method not allowed', { status: 405, headers: { Allow: 'GET' } });
