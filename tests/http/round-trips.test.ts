/**
 * "One database round trip per signed-in request" (issue #15: the session check is part of the
 * statement that does the work; zero without a cookie that could be a session), counted on
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
import { openEventStream } from '../support/event-stream.ts';
import { startWsProxy, type WsProxy } from '#scripts/support/ws-proxy.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';

let server: AppServer;
let resend: FakeResend;
let proxy: WsProxy;
/** The test's own handle, through the shared proxy (not counted). */
let database: Database;
let islandPath: string;
let todoId: number;
let othersTodoId: number;
/** Todos for the DELETE case, one per request (the case runs twice: warm-up and count). */
const deletable: number[] = [];
/** Deleted todos for the restore cases (API and form), one per request. */
const restorable: number[] = [];
/** Passkey cases: one to rename, one per DELETE, another user's, one registration body per POST. */
let passkeyId: number;
let othersPasskeyId: number;
const deletablePasskeys: number[] = [];
const registrations: unknown[] = [];
const TOKEN = 'round-trip-session-token';
/** /account's forms that end their session: a fresh one per request (warm-up and count). */
const everywhereTokens = ['rt-everywhere-0', 'rt-everywhere-1'];
const deletingTokens = ['rt-delete-0', 'rt-delete-1'];
/** New addresses for the change-email case, one per request. */
const newAddresses = ['rita-new-0@example.com', 'rita-new-1@example.com'];
const HEARTBEAT_MS = 300;

beforeAll(async () => {
  const empty = await emptyDatabase('postgres');
  await empty.database.end();
  proxy = await startWsProxy();
  resend = await startFakeResend();
  server = await startPostgresApp({
    databaseUrl: empty.url!,
    wsProxy: proxy.address,
    resend,
    // Short, so the live stream's case below spans several heartbeats.
    env: { LIVE_HEARTBEAT_MS: String(HEARTBEAT_MS) },
  });
  database = await openDatabase({ url: empty.url, wsProxy: inject('postgres').wsProxy, poolMax: 1 });
  const { rows } = await database.query<{ id: number }>(
    `INSERT INTO users (email, name) VALUES ('rt@example.com', 'Rita') RETURNING id`,
  );
  await database.query(
    `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '30 days')`,
    [rows[0]!.id, hashSessionToken(TOKEN)],
  );
  // Users who sign out everywhere (one each: the first would end the second's session) and users
  // who delete their account, each with a session and a todo.
  const userWithSession = (email: string, token: string) =>
    database.query(
      `WITH u AS (INSERT INTO users (email) VALUES ($1) RETURNING id),
            s AS (INSERT INTO sessions ("userId", "sessionToken", expires) SELECT id, $2, now() + interval '30 days' FROM u)
       INSERT INTO todos (user_id, content) SELECT id, 'theirs' FROM u`,
      [email, hashSessionToken(token)],
    );
  for (const [i, token] of everywhereTokens.entries()) await userWithSession(`everywhere-${i}@example.com`, token);
  for (const [i, token] of deletingTokens.entries()) await userWithSession(`gone-${i}@example.com`, token);
  const todo = await database.query<{ id: number }>(
    `INSERT INTO todos (user_id, content) VALUES ($1, 'counted') RETURNING id`,
    [rows[0]!.id],
  );
  todoId = todo.rows[0]!.id;
  for (let i = 0; i < 2; i++) {
    const { rows: made } = await database.query<{ id: number }>(
      `INSERT INTO todos (user_id, content) VALUES ($1, 'to delete') RETURNING id`,
      [rows[0]!.id],
    );
    deletable.push(made[0]!.id);
  }
  const { rows: deleted } = await database.query<{ id: number }>(
    `INSERT INTO todos (user_id, content, deleted_at) SELECT $1, 'deleted', now() FROM generate_series(1, 4) RETURNING id`,
    [rows[0]!.id],
  );
  restorable.push(...deleted.map((row) => row.id));
  const other = await database.query<{ id: number }>(
    `WITH u AS (INSERT INTO users (email) VALUES ('other@example.com') RETURNING id)
     INSERT INTO todos (user_id, content) SELECT id, 'not Rita''s' FROM u RETURNING id`,
  );
  othersTodoId = other.rows[0]!.id;
  const passkey = (userId: unknown) =>
    database.query<{ id: number }>(
      `INSERT INTO passkeys (user_id, credential_id, public_key, device_type, name)
       VALUES ($1, gen_random_uuid()::text, 'unused', 'singleDevice', 'counted') RETURNING id`,
      [userId],
    );
  passkeyId = (await passkey(rows[0]!.id)).rows[0]!.id;
  for (let i = 0; i < 2; i++) deletablePasskeys.push((await passkey(rows[0]!.id)).rows[0]!.id);
  othersPasskeyId = (
    await database.query<{ id: number }>(
      `INSERT INTO passkeys (user_id, credential_id, public_key, device_type, name)
       SELECT id, 'others', 'unused', 'singleDevice', 'not Rita''s' FROM users WHERE email = 'other@example.com'
       RETURNING id`,
    )
  ).rows[0]!.id;
  // Registration answers to challenges stored for Rita (what the options route would have stored).
  for (let i = 0; i < 2; i++) {
    const challenge = Buffer.from(`round-trip-registration-challenge-${i}`).toString('base64url');
    await database.query(
      `INSERT INTO passkey_challenges (challenge, purpose, user_id, expires) VALUES ($1, 'register', $2, now() + interval '5 minutes')`,
      [challenge, rows[0]!.id],
    );
    const key = new SoftAuthenticator({ rpId: new URL(server.url).hostname, origin: server.url });
    registrations.push({ response: key.register({ challenge }) });
  }
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

const form = (body: string): RequestInit => ({
  method: 'POST',
  redirect: 'manual',
  headers: { ...signedIn, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
  body,
});

/** A post of /account's form (`fields`) with the session cookie `token`. */
const accountForm = (fields: Record<string, string>, token = TOKEN): RequestInit => ({
  method: 'POST',
  redirect: 'manual',
  headers: {
    cookie: `authjs.session-token=${token}`,
    origin: server.url,
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: new URLSearchParams(fields).toString(),
});

/** Database round trips the app made for one request (after it answered `status`, redirecting to `location`). */
async function roundTrips(path: string, init: RequestInit, status: number, location?: string): Promise<number> {
  const before = proxy.messagesFromClients();
  const response = await fetch(`${server.url}${path}`, init);
  await response.arrayBuffer();
  expect(response.status, path).toBe(status);
  if (location !== undefined) expect(response.headers.get('location'), path).toBe(location);
  await new Promise((resolve) => setTimeout(resolve, 50)); // nothing may follow the answer either
  return proxy.messagesFromClients() - before;
}

describe('database round trips per request', () => {
  const cases: Array<[string, number, () => [string, RequestInit, number, string?]]> = [
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
    [
      'the menu island with a revoked session',
      1,
      () => [islandPath, { headers: { cookie: 'authjs.session-token=nobody' } }, 200],
    ],
    [
      'the todo page with a revoked session (the sign-in redirect)',
      1,
      () => ['/todos', { redirect: 'manual', headers: { cookie: 'authjs.session-token=nobody' } }, 303],
    ],
    ['the menu island, signed in', 1, () => [islandPath, { headers: signedIn }, 200]],
    ['GET /api/todos', 1, () => ['/api/todos', { headers: signedIn }, 200]],
    ['the todo page', 1, () => ['/todos', { headers: signedIn }, 200]],
    ['the account page', 1, () => ['/account', { headers: signedIn }, 200]],
    ['the data export (GET /account/export)', 1, () => ['/account/export', { headers: signedIn }, 200]],
    [
      'the data export with a revoked session (the sign-in redirect)',
      1,
      () => ['/account/export', { redirect: 'manual', headers: { cookie: 'authjs.session-token=nobody' } }, 303],
    ],
    ['PATCH /api/todos/:id', 1, () => [`/api/todos/${todoId}`, json('PATCH', { completed: true }), 200]],
    ['POST /api/todos', 1, () => ['/api/todos', json('POST', { content: 'one more' }), 201]],
    ['DELETE /api/todos/:id', 1, () => [`/api/todos/${deletable.shift()}`, json('DELETE'), 204]],
    ['POST /api/todos/complete-all', 1, () => ['/api/todos/complete-all', json('POST', { completed: false }), 200]],
    ['DELETE /api/todos/completed', 1, () => ['/api/todos/completed', json('DELETE'), 200]],
    [
      'POST /api/todos/restore (undo)',
      1,
      () => ['/api/todos/restore', json('POST', { ids: [restorable.shift()] }), 200],
    ],
    [
      "PATCH another user's todo (404)",
      1,
      () => [`/api/todos/${othersTodoId}`, json('PATCH', { completed: true }), 404],
    ],
    ['the no-JS add form', 1, () => ['/todos/add', form('content=from+a+form&filter=all'), 303]],
    ['the no-JS toggle form', 1, () => ['/todos/toggle', form(`id=${todoId}&completed=true&filter=all`), 303]],
    ['the no-JS complete-all form', 1, () => ['/todos/complete-all', form('completed=false&filter=all'), 303]],
    ['the no-JS undo form', 1, () => ['/todos/restore', form(`ids=${restorable.shift()}&filter=all`), 303]],
    ['GET /api/passkeys', 1, () => ['/api/passkeys', { headers: signedIn }, 200]],
    ['POST /api/passkeys/register/options', 1, () => ['/api/passkeys/register/options', json('POST'), 200]],
    ['POST /api/passkeys/register', 1, () => ['/api/passkeys/register', json('POST', registrations.shift()), 201]],
    ['PATCH /api/passkeys/:id', 1, () => [`/api/passkeys/${passkeyId}`, json('PATCH', { name: 'renamed' }), 200]],
    ['DELETE /api/passkeys/:id', 1, () => [`/api/passkeys/${deletablePasskeys.shift()}`, json('DELETE'), 204]],
    [
      "PATCH another user's passkey (404)",
      1,
      () => [`/api/passkeys/${othersPasskeyId}`, json('PATCH', { name: 'mine' }), 404],
    ],
    [
      '/account: sign out of other sessions',
      1,
      () => ['/account', accountForm({ action: 'sign-out-others' }), 303, '/account?ended=0'],
    ],
    [
      '/account: sign out everywhere',
      1,
      () => ['/account', accountForm({ action: 'sign-out-everywhere' }, everywhereTokens.shift()), 303, '/'],
    ],
    [
      '/account: change the email address (the request, its limits)',
      1,
      () => {
        const email = newAddresses.shift()!;
        const answer = `/account?${new URLSearchParams({ 'email-sent': email })}#change-email`;
        return ['/account', accountForm({ action: 'change-email', email }), 303, answer];
      },
    ],
    [
      '/account: delete the account (the typed address checked in the statement)',
      1,
      () => {
        const i = 2 - deletingTokens.length;
        return [
          '/account',
          accountForm({ action: 'delete-account', confirm: `gone-${i}@example.com` }, deletingTokens.shift()),
          303,
          '/account/deleted',
        ];
      },
    ],
    [
      '/account: delete the account, the typed address not matching',
      1,
      () => [
        '/account',
        accountForm({ action: 'delete-account', confirm: 'someone@example.com' }),
        303,
        '/account?confirm-delete=1&error=mismatch#delete',
      ],
    ],
    [
      '/account: a post with a revoked session (the sign-in redirect)',
      1,
      () => ['/account', accountForm({ action: 'sign-out-others' }, 'nobody'), 303],
    ],
    [
      'PATCH with a body that fails validation (the session check only, for 401 before 400)',
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
    const [path, init, status, location] = request();
    expect(await roundTrips(path, init, status, location)).toBe(expected);
  });
});

describe('the single statement decides the session (Postgres through the Neon driver)', () => {
  async function sessionFor(token: string, expires: string): Promise<void> {
    await database.query(
      `INSERT INTO sessions ("userId", "sessionToken", expires)
       SELECT id, $1, now() + $2::interval FROM users WHERE email = 'rt@example.com'`,
      [hashSessionToken(token), expires],
    );
  }
  const stored = async (token: string) =>
    (await database.query('SELECT 1 FROM sessions WHERE "sessionToken" = $1', [hashSessionToken(token)])).rows.length;
  const as = (token: string, init: RequestInit = {}): RequestInit => ({
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: `authjs.session-token=${token}` },
  });

  it('an expired session: 401 from the API, in one round trip that deletes the row and clears the cookie', async () => {
    await sessionFor('expired-api', '-1 minute');
    const before = proxy.messagesFromClients();
    const response = await fetch(
      `${server.url}/api/todos/${todoId}`,
      as('expired-api', json('PATCH', { completed: true })),
    );
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toContainEqual(
      expect.stringMatching(/^authjs\.session-token=deleted;.*Expires=Thu, 01 Jan 1970/i),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.messagesFromClients() - before).toBe(1);
    expect(await stored('expired-api')).toBe(0);
  });

  it('an expired session: the sign-in redirect from /todos, and the row is gone', async () => {
    await sessionFor('expired-page', '-1 minute');
    const response = await fetch(`${server.url}/todos`, as('expired-page'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/signin\?callbackUrl=%2Ftodos/);
    expect(await stored('expired-page')).toBe(0);
  });

  it('a revoked session: 401 from the API and the sign-in redirect from /account', async () => {
    await sessionFor('revoked', '1 day');
    await database.query('DELETE FROM sessions WHERE "sessionToken" = $1', [hashSessionToken('revoked')]);
    expect((await fetch(`${server.url}/api/todos`, as('revoked'))).status).toBe(401);
    const page = await fetch(`${server.url}/account`, as('revoked'));
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/signin/);
  });

  it.each([
    ['sign-out-others', {}],
    ['sign-out-everywhere', {}],
    ['change-email', { email: 'taken-over@example.com' }],
    ['delete-account', { confirm: 'victim@example.com' }],
    ['rename-me', {}],
  ])('a revoked session posting /account %s: the sign-in redirect, and nothing changed', async (action, extra) => {
    const { rows } = await database.query<{ id: number }>(
      `INSERT INTO users (email) VALUES ('victim@example.com')
       ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
    );
    const victim = rows[0]!.id;
    await database.query('DELETE FROM sessions WHERE "userId" = $1', [victim]);
    for (const token of ['victim-phone', 'victim-revoked']) {
      await database.query(
        `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '1 day')`,
        [victim, hashSessionToken(token)],
      );
    }
    await database.query('DELETE FROM sessions WHERE "sessionToken" = $1', [hashSessionToken('victim-revoked')]);
    const before = proxy.messagesFromClients();
    const response = await fetch(`${server.url}/account`, accountForm({ action, ...extra }, 'victim-revoked'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/signin\?callbackUrl=%2Faccount/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.messagesFromClients() - before).toBe(1);
    const left = await database.query<{ sessions: number; users: number; changes: number; hits: number }>(
      `SELECT (SELECT count(*)::int FROM sessions WHERE "userId" = $1) AS sessions,
              (SELECT count(*)::int FROM users WHERE id = $1) AS users,
              (SELECT count(*)::int FROM email_changes WHERE user_id = $1) AS changes,
              (SELECT count(*)::int FROM rate_limits WHERE key LIKE '%taken-over@example.com') AS hits`,
      [victim],
    );
    expect(left.rows[0]).toEqual({ sessions: 1, users: 1, changes: 0, hits: 0 });
  });

  it.each([
    ['sign-out-everywhere', {}, '/'],
    ['delete-account', { confirm: 'due-deleted@example.com' }, '/account/deleted'],
  ])(
    '/account %s with a session due for extension ends that session too, in one round trip',
    async (action, extra, location) => {
      const { rows } = await database.query<{ id: number }>(
        `INSERT INTO users (email) VALUES ('due-deleted@example.com')
         ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
      );
      await database.query(
        `INSERT INTO sessions ("userId", "sessionToken", expires, last_used_at)
         VALUES ($1, $2, now() + interval '28 days', now() - interval '2 days')`,
        [rows[0]!.id, hashSessionToken(`due-${action}`)],
      );
      const before = proxy.messagesFromClients();
      const response = await fetch(`${server.url}/account`, accountForm({ action, ...extra }, `due-${action}`));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(location);
      expect(response.headers.getSetCookie()).toContainEqual(
        expect.stringMatching(/^authjs\.session-token=deleted;.*Expires=Thu, 01 Jan 1970/i),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(proxy.messagesFromClients() - before).toBe(1);
      expect(await stored(`due-${action}`)).toBe(0);
    },
  );

  it('an expired session posting /account: the sign-in redirect, the row deleted, the others kept', async () => {
    await sessionFor('expired-post', '-1 minute');
    await sessionFor('kept-post', '1 day');
    const response = await fetch(`${server.url}/account`, accountForm({ action: 'sign-out-others' }, 'expired-post'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/signin/);
    expect(await stored('expired-post')).toBe(0);
    expect(await stored('kept-post')).toBe(1);
  });

  it('a session due for extension is extended once, in the same round trip, and the cookie re-sent once', async () => {
    await sessionFor('due', '28 days'); // last extended two days ago
    const first = await fetch(`${server.url}/api/todos`, as('due'));
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^authjs\.session-token=due;/);
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie)![1]!).getTime();
    expect(Math.abs(expires - (Date.now() + 30 * 24 * 3600 * 1000))).toBeLessThan(60_000);
    const { rows } = await database.query<{ expires: Date }>('SELECT expires FROM sessions WHERE "sessionToken" = $1', [
      hashSessionToken('due'),
    ]);
    expect(Math.abs(new Date(rows[0]!.expires).getTime() - expires)).toBeLessThan(2000);

    const before = proxy.messagesFromClients();
    const second = await fetch(`${server.url}/api/todos`, as('due'));
    expect(second.status).toBe(200);
    expect(second.headers.get('set-cookie')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.messagesFromClients() - before).toBe(1);
  });
});

describe('the live stream (GET /api/todos/events)', () => {
  it('starts in one round trip, then makes none over several heartbeats while idle', async () => {
    const warm = await openEventStream(server.url, signedIn);
    warm.close();
    // The first stream also opened the process's LISTEN connection (kept a minute after the last stream).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = proxy.messagesFromClients();
    const live = await openEventStream(server.url, signedIn);
    expect(live.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.messagesFromClients() - before).toBe(1);
    const comments = live.comments;
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 3));
    expect(live.comments - comments).toBeGreaterThanOrEqual(2);
    expect(proxy.messagesFromClients() - before).toBe(1);
    live.close();
  });

  it('without a cookie: 401 and no round trip', async () => {
    const before = proxy.messagesFromClients();
    expect((await openEventStream(server.url)).status).toBe(401);
    expect(proxy.messagesFromClients() - before).toBe(0);
  });
});
