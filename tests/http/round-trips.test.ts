/**
 * "One database round trip to read a session; the todo endpoints add at most one more", counted on
 * the production build in Postgres mode: the app reaches Postgres through a WebSocket proxy of this
 * file's own, the driver sends each query as one WebSocket message, and the proxy counts them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import type { AppServer } from '../support/app-server.ts';
import { emptyDatabase } from '../support/databases.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import { startPostgresApp } from '../support/postgres-app.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';
import { startWsProxy, type WsProxy } from '#scripts/support/ws-proxy.ts';

let server: AppServer;
let resend: FakeResend;
let proxy: WsProxy;
/** The test's own handle, through the shared proxy (not counted). */
let database: Database;
let islandPath: string;
let todoId: number;
const TOKEN = 'round-trip-session-token';

beforeAll(async () => {
  const empty = await emptyDatabase('postgres');
  await empty.database.end();
  proxy = await startWsProxy();
  resend = await startFakeResend();
  server = await startPostgresApp({ databaseUrl: empty.url!, wsProxy: proxy.address, resend });
  database = await openDatabase({ url: empty.url, wsProxy: inject('postgres').wsProxy, poolMax: 1 });
  const { rows } = await database.query<{ id: number }>(
    `INSERT INTO users (email, name) VALUES ('rt@example.com', 'Rita') RETURNING id`,
  );
  await database.query(
    `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '30 days')`,
    [rows[0]!.id, hashSessionToken(TOKEN)],
  );
  const todo = await database.query<{ id: number }>(
    `INSERT INTO todos (user_id, content) VALUES ($1, 'counted') RETURNING id`,
    [rows[0]!.id],
  );
  todoId = todo.rows[0]!.id;
  islandPath = /\/_server-islands\/UserMenu\?[^"]+/
    .exec((await rawRequest(`${server.url}/`)).text())![0]
    .replaceAll('&amp;', '&');
});
afterAll(async () => {
  await server?.stop();
  await resend?.close();
  await database?.end();
  await proxy?.close();
});

const signedIn = { cookie: `authjs.session-token=${TOKEN}` };
const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { ...signedIn, origin: server.url, 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** Database round trips the app made for one request (after it answered `status`). */
async function roundTrips(path: string, init: RequestInit, status: number): Promise<number> {
  const before = proxy.messagesFromClients();
  const response = await fetch(`${server.url}${path}`, init);
  await response.arrayBuffer();
  expect(response.status, path).toBe(status);
  await new Promise((resolve) => setTimeout(resolve, 50)); // nothing may follow the answer either
  return proxy.messagesFromClients() - before;
}

describe('database round trips per request', () => {
  const cases: Array<[string, number, () => [string, RequestInit, number]]> = [
    ['a prerendered page', 0, () => ['/', {}, 200]],
    ['the menu island without a cookie', 0, () => [islandPath, {}, 200]],
    [
      'a cookie that cannot be a token',
      0,
      () => ['/api/todos', { headers: { cookie: 'authjs.session-token=a%00b' } }, 401],
    ],
    [
      'an unknown token (the session read)',
      1,
      () => ['/api/todos', { headers: { cookie: 'authjs.session-token=nobody' } }, 401],
    ],
    ['the menu island, signed in', 1, () => [islandPath, { headers: signedIn }, 200]],
    ['GET /api/todos', 2, () => ['/api/todos', { headers: signedIn }, 200]],
    ['the todo page', 2, () => ['/todos', { headers: signedIn }, 200]],
    ['PATCH /api/todos/:id', 2, () => [`/api/todos/${todoId}`, json('PATCH', { completed: true }), 200]],
    ['POST /api/todos', 2, () => ['/api/todos', json('POST', { content: 'one more' }), 201]],
    [
      'PATCH with a body that fails validation (no query for it)',
      1,
      () => [`/api/todos/${todoId}`, json('PATCH', { completed: 'yes' }), 400],
    ],
  ];

  beforeAll(async () => {
    // Warm up: the pool opens its connection (startup and authentication messages) here.
    for (const [, , request] of cases) {
      const [path, init] = request();
      await (await fetch(`${server.url}${path}`, init)).arrayBuffer();
    }
  });

  it.each(cases)('%s: %i', async (_label, expected, request) => {
    const [path, init, status] = request();
    expect(await roundTrips(path, init, status)).toBe(expected);
  });
});
