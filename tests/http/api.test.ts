/**
 * The JSON API and sign-in against the production build, in local mode and on real Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { HttpClient } from '../support/http-client.ts';
import { APP_MODES, startApp, type RunningApp } from '../support/running-app.ts';
import { signedIn } from '../support/todo-users.ts';
import { uniqueEmail } from '../support/users.ts';

describe.each(APP_MODES)('HTTP API (%s)', (mode) => {
  let app: RunningApp;
  let ann: HttpClient;
  let bob: HttpClient;
  let anonymous: HttpClient;

  beforeAll(async () => {
    app = await startApp(mode);
    ann = await signedIn(app, 'ann');
    bob = await signedIn(app, 'bob');
    anonymous = new HttpClient(app.server.url);
  });
  afterAll(async () => app?.stop());

  it('answers every todo route with 401 and the error shape without a session', async () => {
    for (const [method, path] of [
      ['GET', '/api/todos'],
      ['POST', '/api/todos'],
      ['PATCH', '/api/todos/1'],
      ['DELETE', '/api/todos/1'],
    ] as const) {
      const response = await anonymous.fetch(path, {
        method,
        ...(method === 'POST' || method === 'PATCH' ? { json: { content: 'x' } } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('answers a forged session cookie with 401', async () => {
    const forged = new HttpClient(app.server.url);
    forged.cookies.set('authjs.session-token', 'forged-token-value');
    expect((await forged.fetch('/api/todos')).status).toBe(401);
  });

  it('creates, lists oldest first, updates and deletes todos', async () => {
    const created = await ann.fetch('/api/todos', { json: { content: '  buy milk  ' } });
    expect(created.status).toBe(201);
    const milk = await created.json();
    expect(milk).toEqual({
      id: expect.any(Number),
      content: 'buy milk',
      completed: false,
      createdAt: expect.any(String),
    });
    const bread = await (await ann.fetch('/api/todos', { json: { content: 'bread' } })).json();

    const list = await ann.fetch('/api/todos');
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toContain('no-store');
    expect((await list.json()).map((t: { id: number }) => t.id)).toEqual([milk.id, bread.id]);

    const done = await ann.fetch(`/api/todos/${milk.id}`, { method: 'PATCH', json: { completed: true } });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ id: milk.id, completed: true, content: 'buy milk' });
    // Explicit state: the same request twice leaves it completed.
    expect(
      await (await ann.fetch(`/api/todos/${milk.id}`, { method: 'PATCH', json: { completed: true } })).json(),
    ).toMatchObject({ completed: true });
    expect(
      await (await ann.fetch(`/api/todos/${milk.id}`, { method: 'PATCH', json: { content: 'oat milk' } })).json(),
    ).toMatchObject({
      content: 'oat milk',
      completed: true,
    });

    const deleted = await ann.fetch(`/api/todos/${bread.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await ann.fetch(`/api/todos/${bread.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await (await ann.fetch('/api/todos')).json()).map((t: { content: string }) => t.content)).toEqual([
      'oat milk',
    ]);
  });

  it('keeps two users apart: 404 for someone else’s todo, and nothing of theirs changes', async () => {
    const secret = await (await ann.fetch('/api/todos', { json: { content: 'ann’s secret' } })).json();
    expect((await (await bob.fetch('/api/todos')).json()).map((t: { id: number }) => t.id)).not.toContain(secret.id);
    const patch = await bob.fetch(`/api/todos/${secret.id}`, {
      method: 'PATCH',
      json: { completed: true, content: 'pwned' },
    });
    expect(patch.status).toBe(404);
    expect((await patch.json()).error.code).toBe('not_found');
    expect((await bob.fetch(`/api/todos/${secret.id}`, { method: 'DELETE' })).status).toBe(404);
    const annList = await (await ann.fetch('/api/todos')).json();
    expect(annList.find((t: { id: number }) => t.id === secret.id)).toMatchObject({
      content: 'ann’s secret',
      completed: false,
    });
  });

  it.each([
    [
      'malformed JSON',
      { method: 'POST', body: '{"content":', headers: { 'content-type': 'application/json' } },
      '/api/todos',
      400,
      'invalid_json',
    ],
    ['empty content', { json: { content: '   ' } }, '/api/todos', 400, 'validation_failed'],
    ['content over 500 characters', { json: { content: 'x'.repeat(501) } }, '/api/todos', 400, 'validation_failed'],
    ['a wrong type', { json: { content: 7 } }, '/api/todos', 400, 'validation_failed'],
    ['an extra field', { json: { content: 'a', user_id: 1 } }, '/api/todos', 400, 'validation_failed'],
    ['a form body', { form: { content: 'a' } }, '/api/todos', 415, 'unsupported_media_type'],
    ['a body over 16 KiB', { json: { content: 'x'.repeat(17 * 1024) } }, '/api/todos', 413, 'payload_too_large'],
    ['an empty patch', { method: 'PATCH', json: {} }, '/api/todos/1', 400, 'validation_failed'],
    [
      'a toggle-like patch',
      { method: 'PATCH', json: { completed: 'toggle' } },
      '/api/todos/1',
      400,
      'validation_failed',
    ],
    ['id abc', { method: 'PATCH', json: { completed: true } }, '/api/todos/abc', 400, 'invalid_id'],
    ['id 0', { method: 'DELETE' }, '/api/todos/0', 400, 'invalid_id'],
    ['id -1', { method: 'DELETE' }, '/api/todos/-1', 400, 'invalid_id'],
    ['id 1.5', { method: 'DELETE' }, '/api/todos/1.5', 400, 'invalid_id'],
    ['an id beyond int4', { method: 'DELETE' }, '/api/todos/99999999999', 400, 'invalid_id'],
    ['a missing todo', { method: 'DELETE' }, '/api/todos/2147483647', 404, 'not_found'],
    ['PUT on the collection', { method: 'PUT', json: { content: 'a' } }, '/api/todos', 405, 'method_not_allowed'],
    ['POST on an item', { method: 'POST', json: { content: 'a' } }, '/api/todos/1', 405, 'method_not_allowed'],
  ] as const)('answers %s with %i %s and stores nothing', async (_label, init, path, status, code) => {
    const before = await (await ann.fetch('/api/todos')).text();
    const response = await ann.fetch(path, init as RequestInit);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    if (status === 405) expect(response.headers.get('allow')).toBeTruthy();
    expect(await (await ann.fetch('/api/todos')).text()).toBe(before);
  });

  it('refuses a cross-origin write with 403', async () => {
    const response = await ann.fetch('/api/todos', {
      json: { content: 'csrf' },
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden');
  });

  it('redirects /todos to sign-in without a session, and renders the list with one', async () => {
    const redirect = await anonymous.fetch('/todos');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/signin?callbackUrl=%2Ftodos');
    const todo = await (await bob.fetch('/api/todos', { json: { content: '<script>alert(1)</script>' } })).json();
    const page = await (await bob.fetch('/todos')).text();
    expect(page).toContain('Your todos');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain(String(todo.id));
  });

  it('signs out: the session row is gone and the old cookie no longer works', async () => {
    const carol = new HttpClient(app.server.url);
    await carol.signIn(uniqueEmail('carol'), app.latestLink);
    const token = carol.sessionCookie()!;
    expect((await carol.fetch('/api/todos')).status).toBe(200);
    const out = await carol.fetch('/signout', { form: {} });
    expect(out.status).toBe(303);
    expect(carol.sessionCookie()).toBeUndefined();
    const replay = new HttpClient(app.server.url);
    replay.cookies.set('authjs.session-token', token);
    expect((await replay.fetch('/api/todos')).status).toBe(401);
    if (app.database) {
      const { rowCount } = await app.database.query('SELECT 1 FROM sessions WHERE "sessionToken" = $1', [
        hashSessionToken(token),
      ]);
      expect(rowCount).toBe(0);
    }
  });

  // Needs a handle on the database to plant sessions of a chosen age (postgres mode).
  it.skipIf(mode === 'local')(
    'extends a session due for it (row and cookie) once, and clears an expired one',
    async () => {
      const database = app.database!;
      const { rows } = await database.query<{ id: number }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
        uniqueEmail('dan'),
      ]);
      const userId = rows[0]!.id;
      const [due, dead] = [`due-${userId}`, `dead-${userId}`];
      await database.query(
        `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '28 days'), ($1, $3, now() - interval '1 minute')`,
        [userId, hashSessionToken(due), hashSessionToken(dead)],
      );
      const storedExpiry = async (token: string) =>
        (
          await database.query<{ expires: Date }>('SELECT expires FROM sessions WHERE "sessionToken" = $1', [
            hashSessionToken(token),
          ])
        ).rows[0]?.expires;
      const get = (token: string) =>
        fetch(`${app.server.url}/api/todos`, { headers: { cookie: `authjs.session-token=${token}` } });

      const extended = await get(due);
      expect(extended.status).toBe(200);
      const cookie = extended.headers.getSetCookie().find((c) => c.startsWith(`authjs.session-token=${due};`));
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      const cookieExpiry = Date.parse(/; Expires=([^;]+)/i.exec(cookie!)![1]!);
      const rowExpiry = new Date((await storedExpiry(due))!).getTime();
      expect(rowExpiry).toBeGreaterThan(Date.now() + 29.9 * 24 * 3600 * 1000);
      expect(Math.abs(cookieExpiry - rowExpiry)).toBeLessThan(1000); // the cookie expires with its row

      // Extended a moment ago: the next request changes nothing and sends no cookie.
      const next = await get(due);
      expect(next.status).toBe(200);
      expect(next.headers.getSetCookie()).toEqual([]);
      expect(new Date((await storedExpiry(due))!).getTime()).toBe(rowExpiry);

      const expired = await get(dead);
      expect(expired.status).toBe(401);
      const cleared = expired.headers.getSetCookie().find((c) => c.startsWith('authjs.session-token='));
      expect(cleared).toMatch(/; Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
      expect(await storedExpiry(dead)).toBeUndefined();
    },
  );

  it('sends the sign-in form back with a message for an invalid address, sending no mail', async () => {
    const client = new HttpClient(app.server.url);
    const response = await client.requestSignIn('not-an-email');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/signin\?error=invalid-email/);
  });

  it('lets a sign-in link work once', async () => {
    const email = uniqueEmail('dora');
    const first = new HttpClient(app.server.url);
    await first.signIn(email, app.latestLink);
    const link = new URL(await app.latestLink(email));
    const again = await new HttpClient(app.server.url).fetch(link.pathname + link.search);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('no longer works');
  });
});
