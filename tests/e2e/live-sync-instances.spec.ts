/**
 * Live sync across server instances (issue #14): two processes of the production build on one
 * PostgreSQL (as behind a load balancer), each with its own LISTEN connection. A todo added on a
 * page served by instance A appears within a second on a page of the same person served by B.
 *
 * This file starts its own throwaway cluster, WebSocket proxy and Resend stand-in (the other
 * browser tests run local mode); the person is signed in with a session row (the login fixture
 * habit: the email flow has its own tests).
 */
import { randomBytes } from 'node:crypto';
import { test } from '@playwright/test';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import { postgresAppEnv } from '#scripts/support/postgres-app-env.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '#scripts/support/postgres.ts';
import { freePort } from '#scripts/support/ports.ts';
import { startWsProxy, type WsProxy } from '#scripts/support/ws-proxy.ts';
import { startAppServer, type AppServer } from '../support/app-server.ts';
import { addTodo, expect, todoItems, waitForTodoApp, watchBrowserErrors, withoutFocusRefresh } from './fixtures.ts';

let postgres: ThrowawayPostgres;
let proxy: WsProxy;
let resend: FakeResend;
let database: Database;
const servers: AppServer[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  postgres = await startThrowawayPostgres();
  proxy = await startWsProxy();
  resend = await startFakeResend();
  // Migrated by the first instance; the second starts on the migrated database.
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const env = postgresAppEnv({ databaseUrl: postgres.url, wsProxy: proxy.address, resend, port });
    servers.push(await startAppServer({ port, env }));
  }
  database = await openDatabase({ url: postgres.url, wsProxy: proxy.address, poolMax: 1 });
});

test.afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.end();
  await resend?.close();
  await proxy?.close();
  await postgres?.stop();
});

test('a todo added through instance A appears on a page served by instance B within 1 s', async ({ browser }) => {
  const [a, b] = servers as [AppServer, AppServer];
  const { rows } = await database.query<{ id: number }>(
    `INSERT INTO users (email, "emailVerified") VALUES ('two-instances@example.test', now()) RETURNING id`,
  );
  const token = randomBytes(32).toString('hex');
  await database.query(
    `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '1 day')`,
    [rows[0]!.id, hashSessionToken(token)],
  );
  const context = await browser.newContext();
  try {
    // Cookies don't depend on the port: one session cookie for both instances on 127.0.0.1.
    await context.addCookies([{ name: 'authjs.session-token', value: token, url: a.url }]);
    const onA = await context.newPage();
    const onB = await context.newPage();
    const errors = [watchBrowserErrors(onA), watchBrowserErrors(onB)];
    await withoutFocusRefresh(onB);
    await onA.goto(`${a.url}/todos`);
    await onB.goto(`${b.url}/todos`);
    await waitForTodoApp(onA);
    await waitForTodoApp(onB);
    await expect(onB.locator('.todo-app')).toHaveAttribute('data-live', 'open');

    await addTodo(onA, 'made on A');
    await expect(todoItems(onB)).toHaveText([/made on A/], { timeout: 1_000 });
    for (const e of errors) e.assertNone();
  } finally {
    await context.close();
  }
});
