/**
 * Passkeys over HTTP against the production build: two instances on one Postgres (as behind a load
 * balancer, one SITE_URL), a software authenticator making real signatures
 * (tests/support/soft-authenticator.ts). A passkey added through A signs in through B; challenges
 * and answers work once; counters only move forward; every route refuses what it should, as JSON.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pruneExpired } from '#lib/account/prune.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import type { Database } from '#lib/db/index.server.ts';
import { freePort } from '#scripts/support/ports.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import type { AppServer } from '../support/app-server.ts';
import { emptyDatabase } from '../support/databases.ts';
import { HttpClient } from '../support/http-client.ts';
import { startPostgresApp } from '../support/postgres-app.ts';
import { signedInClient } from '../support/session-fixture.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { uniqueEmail } from '../support/users.ts';

let database: Database;
let resend: FakeResend;
let a: AppServer;
let b: AppServer;
let siteUrl: string;
let databaseUrl: string;

beforeAll(async () => {
  const fresh = await emptyDatabase('postgres');
  database = fresh.database;
  databaseUrl = fresh.url!;
  resend = await startFakeResend();
  siteUrl = `http://127.0.0.1:${await freePort()}`;
  // Every request here comes from 127.0.0.1: room for all of them under the per-IP limits (the
  // limits themselves are tested below, on an instance of their own).
  const options = {
    databaseUrl,
    wsProxy: inject('postgres').wsProxy,
    resend,
    siteUrl,
    env: { SIGN_IN_EMAILS_PER_IP: '1000' },
  };
  [a, b] = await Promise.all([startPostgresApp(options), startPostgresApp(options)]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await resend?.close();
  await database?.end();
});

const authenticator = () => new SoftAuthenticator({ rpId: '127.0.0.1', origin: siteUrl });

/** A signed-in browser on `server` (a session row inserted, the cookie Auth.js would set). */
async function signedIn(server: AppServer, email = uniqueEmail('passkey')) {
  const fixture = await signedInClient(database, server.url, email);
  const client = new HttpClient(server.url, siteUrl);
  for (const [name, value] of fixture.client.cookies) client.cookies.set(name, value);
  return { client, userId: fixture.userId, email };
}

/** Adds a passkey through the two registration requests; returns the new passkey's JSON. */
async function addPasskey(client: HttpClient, key: SoftAuthenticator, name?: string) {
  const options = await client.fetch('/api/passkeys/register/options', { method: 'POST' });
  expect(options.status).toBe(200);
  const created = await client.fetch('/api/passkeys/register', {
    json: { response: key.register((await options.json()) as { challenge: string }), ...(name ? { name } : {}) },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  return (await created.json()) as { id: number; name: string; deviceType: string; backedUp: boolean };
}

async function signInOptions(client: HttpClient): Promise<{ challenge: string; rpId: string }> {
  const response = await client.fetch('/api/passkeys/signin/options', { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as { challenge: string; rpId: string };
}

const signIn = (client: HttpClient, response: unknown, callbackUrl?: string) =>
  client.fetch('/api/passkeys/signin', { json: { response, ...(callbackUrl ? { callbackUrl } : {}) } });

const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe('passkeys across two instances', () => {
  it('a passkey added through A signs in through B, with the same kind of database session as an email link', async () => {
    const { client, userId } = await signedIn(a);
    const key = authenticator();
    const added = await addPasskey(client, key);
    expect(added).toMatchObject({ name: 'Passkey 1', deviceType: 'singleDevice', backedUp: false });

    const visitor = new HttpClient(b.url, siteUrl);
    const options = await signInOptions(visitor);
    expect(options.rpId).toBe('127.0.0.1');
    const done = await signIn(visitor, key.assert(options), '/account');
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ location: '/account' });
    // Auth.js's own session cookie, with its attributes (HttpOnly, SameSite=Lax, 30 days).
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith('authjs.session-token='));
    expect(cookie).toMatch(/; Path=\/;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie!)![1]!).getTime();
    expect(Math.abs(expires - (Date.now() + 30 * 24 * 3600 * 1000))).toBeLessThan(60_000);
    const token = visitor.cookies.get('authjs.session-token');
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    // Stored hashed, like every session; the account page on A lists it.
    const { rows } = await database.query<{ userId: number }>(
      'SELECT "userId" FROM sessions WHERE "sessionToken" = $1',
      [hashSessionToken(token!)],
    );
    expect(rows).toEqual([{ userId }]);
    const onA = new HttpClient(a.url, siteUrl);
    onA.cookies.set('authjs.session-token', token!);
    expect((await onA.fetch('/api/todos')).status).toBe(200);
    expect((await onA.fetch('/account')).status).toBe(200);

    const listed = (await (await visitor.fetch('/api/passkeys')).json()) as {
      passkeys: Array<Record<string, unknown>>;
    };
    expect(listed.passkeys).toEqual([
      expect.objectContaining({ id: added.id, name: 'Passkey 1', lastUsedAt: expect.any(String) }),
    ]);
    const stored = await database.query<{ counter: string }>('SELECT counter FROM passkeys WHERE id = $1', [added.id]);
    expect(Number(stored.rows[0]!.counter)).toBe(1);
  });

  it('a replayed answer, a reused challenge and a counter that goes back are refused', async () => {
    const { client } = await signedIn(a);
    const key = authenticator();
    await addPasskey(client, key);

    const visitor = new HttpClient(a.url, siteUrl);
    const options = await signInOptions(visitor);
    const answer = key.assert(options);
    expect((await signIn(visitor, answer)).status).toBe(200);

    const replay = new HttpClient(b.url, siteUrl);
    const replayed = await signIn(replay, answer);
    expect(replayed.status).toBe(400);
    expect(await errorCode(replayed)).toBe('challenge_expired');
    // The same challenge signed again (a fresh signature, a higher counter): still spent.
    const reused = await signIn(replay, key.assert(options));
    expect(reused.status).toBe(400);
    expect(replay.cookies.has('authjs.session-token')).toBe(false);

    // A clone of the authenticator: a counter at or below the stored one.
    key.counter = 0;
    const cloned = await signIn(replay, key.assert(await signInOptions(replay)));
    expect(cloned.status).toBe(401);
    expect(await errorCode(cloned)).toBe('passkey_refused');

    // An answer made for another site.
    const elsewhere = await signIn(replay, key.assert(await signInOptions(replay), { origin: 'https://evil.example' }));
    expect(elsewhere.status).toBe(401);
    // An unknown credential.
    const stranger = await signIn(replay, authenticator().assert(await signInOptions(replay)));
    expect(stranger.status).toBe(401);
    expect(replay.cookies.has('authjs.session-token')).toBe(false);
  });

  it('one answer sent to both instances at once signs in exactly once', async () => {
    const { client } = await signedIn(a);
    const key = authenticator();
    await addPasskey(client, key);
    for (let round = 0; round < 3; round++) {
      const answer = key.assert(await signInOptions(new HttpClient(a.url, siteUrl)));
      const statuses = await Promise.all(
        [a, b].map(async (server) => (await signIn(new HttpClient(server.url, siteUrl), answer)).status),
      );
      expect(statuses.sort()).toEqual([200, 400]);
    }
  });

  it('a registration challenge works once, and only for the user it was made for', async () => {
    const ann = await signedIn(a);
    const bob = await signedIn(b);
    const options = (await (await ann.client.fetch('/api/passkeys/register/options', { method: 'POST' })).json()) as {
      challenge: string;
    };
    const asBob = await bob.client.fetch('/api/passkeys/register', {
      json: { response: authenticator().register(options) },
    });
    expect(asBob.status).toBe(400);
    expect(await errorCode(asBob)).toBe('challenge_expired');
    const key = authenticator();
    const first = await ann.client.fetch('/api/passkeys/register', { json: { response: key.register(options) } });
    expect(first.status).toBe(201);
    const again = await ann.client.fetch('/api/passkeys/register', {
      json: { response: authenticator().register(options) },
    });
    expect(again.status).toBe(400);
    // The same authenticator once more, on a fresh challenge: already registered.
    const fresh = (await (await ann.client.fetch('/api/passkeys/register/options', { method: 'POST' })).json()) as {
      challenge: string;
      excludeCredentials: Array<{ id: string }>;
    };
    expect(fresh.excludeCredentials.map((c) => c.id)).toEqual([key.id]);
    const twin = await ann.client.fetch('/api/passkeys/register', { json: { response: key.register(fresh) } });
    expect(twin.status).toBe(409);
  });

  it('rename and remove: the owner only (404 for anyone else); a removed passkey no longer signs in', async () => {
    const ann = await signedIn(a);
    const eve = await signedIn(b);
    const key = authenticator();
    const passkey = await addPasskey(ann.client, key, 'Laptop');
    expect(passkey.name).toBe('Laptop');

    for (const request of [
      eve.client.fetch(`/api/passkeys/${passkey.id}`, { method: 'PATCH', json: { name: 'Mine now' } }),
      eve.client.fetch(`/api/passkeys/${passkey.id}`, { method: 'DELETE' }),
    ]) {
      const response = await request;
      expect(response.status).toBe(404);
      expect(await errorCode(response)).toBe('not_found');
    }
    const renamed = await ann.client.fetch(`/api/passkeys/${passkey.id}`, {
      method: 'PATCH',
      json: { name: '  Work laptop ' },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: passkey.id, name: 'Work laptop' });

    expect((await ann.client.fetch(`/api/passkeys/${passkey.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await ann.client.fetch(`/api/passkeys/${passkey.id}`, { method: 'DELETE' })).status).toBe(404);
    const visitor = new HttpClient(b.url, siteUrl);
    const refused = await signIn(visitor, key.assert(await signInOptions(visitor)));
    expect(refused.status).toBe(401);
    expect((await (await ann.client.fetch('/api/passkeys')).json()) as unknown).toEqual({ passkeys: [] });
  });

  it('sign-out everywhere keeps the passkeys; deleting the account removes them', async () => {
    const { client, userId, email } = await signedIn(a);
    const key = authenticator();
    await addPasskey(client, key);
    const count = async () => (await database.query('SELECT 1 FROM passkeys WHERE user_id = $1', [userId])).rows.length;

    expect((await client.fetch('/account', { form: { action: 'sign-out-everywhere' } })).status).toBe(303);
    expect(await count()).toBe(1);
    const back = new HttpClient(a.url, siteUrl);
    // Signed in again with the passkey; a callback to another site is not followed.
    const again = await signIn(back, key.assert(await signInOptions(back)), 'https://evil.example/');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ location: '/todos' });
    const deleted = await back.fetch('/account', { form: { action: 'delete-account', confirm: email } });
    expect(deleted.status).toBe(303);
    expect(await count()).toBe(0);
  });

  it('expired challenges are pruned with the other expired rows', async () => {
    const visitor = new HttpClient(a.url, siteUrl);
    const options = await signInOptions(visitor);
    await database.query(`UPDATE passkey_challenges SET expires = now() - interval '1 second' WHERE challenge = $1`, [
      options.challenge,
    ]);
    expect((await pruneExpired(database)).passkeyChallenges).toBeGreaterThanOrEqual(1);
    expect(
      (await database.query('SELECT 1 FROM passkey_challenges WHERE challenge = $1', [options.challenge])).rows,
    ).toEqual([]);
  });
});

describe('passkey routes refuse, as JSON', () => {
  it('no session: 401 on every signed-in route', async () => {
    const visitor = new HttpClient(a.url, siteUrl);
    const cases: Array<[string, RequestInit & { json?: unknown }]> = [
      ['/api/passkeys', {}],
      ['/api/passkeys/register/options', { method: 'POST' }],
      ['/api/passkeys/register', { json: { response: authenticator().register({ challenge: 'x'.repeat(43) }) } }],
      ['/api/passkeys/1', { method: 'PATCH', json: { name: 'x' } }],
      ['/api/passkeys/1', { method: 'DELETE' }],
      // A bad body from someone signed out is still a 401, not a 400.
      ['/api/passkeys/register', { json: { nonsense: true } }],
    ];
    for (const [path, init] of cases) {
      const response = await visitor.fetch(path, init);
      expect(response.status, path).toBe(401);
      expect(await errorCode(response)).toBe('unauthorized');
    }
  });

  it.each([
    [
      'register: not JSON',
      '/api/passkeys/register',
      { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    ],
    ['register: no response', '/api/passkeys/register', { json: {} }, 400, 'validation_failed'],
    [
      'register: response not base64url',
      '/api/passkeys/register',
      { json: { response: { id: '!!', rawId: '!!', type: 'public-key', response: {}, clientExtensionResults: {} } } },
      400,
      'validation_failed',
    ],
    [
      'register: a forged answer',
      '/api/passkeys/register',
      {
        json: {
          response: {
            id: 'AAAA',
            rawId: 'AAAA',
            type: 'public-key',
            response: { clientDataJSON: 'AAAA', attestationObject: 'AAAA' },
            clientExtensionResults: {},
          },
        },
      },
      400,
      'passkey_invalid',
    ],
    ['rename: empty name', '/api/passkeys/1', { method: 'PATCH', json: { name: '  ' } }, 400, 'validation_failed'],
    [
      'rename: name too long',
      '/api/passkeys/1',
      { method: 'PATCH', json: { name: 'x'.repeat(65) } },
      400,
      'validation_failed',
    ],
    ['rename: bad id', '/api/passkeys/abc', { method: 'PATCH', json: { name: 'x' } }, 400, 'invalid_id'],
    ['delete: bad id', '/api/passkeys/0', { method: 'DELETE' }, 400, 'invalid_id'],
    [
      'rename: form body',
      '/api/passkeys/1',
      { method: 'PATCH', body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'unsupported_media_type',
    ],
    ['sign in: no response', '/api/passkeys/signin', { json: { callbackUrl: '/todos' } }, 400, 'validation_failed'],
    [
      'sign in: not JSON',
      '/api/passkeys/signin',
      { method: 'POST', body: 'x', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    ],
    ['sign in: GET', '/api/passkeys/signin', {}, 405, 'method_not_allowed'],
    ['register: JSON null', '/api/passkeys/register', { json: null }, 400, 'validation_failed'],
    ['register: an array', '/api/passkeys/register', { json: [] }, 400, 'validation_failed'],
    [
      'register: an unknown field',
      '/api/passkeys/register',
      { json: { response: {}, admin: true } },
      400,
      'validation_failed',
    ],
    [
      'sign in: a 20 KiB body',
      '/api/passkeys/signin',
      { json: { response: { id: 'x'.repeat(20 * 1024) } } },
      413,
      'payload_too_large',
    ],
    [
      'sign in: a challenge that was never issued',
      '/api/passkeys/signin',
      {
        json: {
          response: {
            id: 'AAAA',
            rawId: 'AAAA',
            type: 'public-key',
            response: {
              clientDataJSON: Buffer.from(JSON.stringify({ challenge: 'y'.repeat(43) })).toString('base64url'),
              authenticatorData: 'AAAA',
              signature: 'AAAA',
            },
            clientExtensionResults: {},
          },
        },
      },
      400,
      'challenge_expired',
    ],
    ['list: POST', '/api/passkeys', { method: 'POST' }, 405, 'method_not_allowed'],
  ] as Array<[string, string, RequestInit & { json?: unknown }, number, string]>)(
    '%s: %i %s',
    async (_label, path, init, status, code) => {
      const { client } = await signedIn(a);
      const response = await client.fetch(path, init);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await errorCode(response)).toBe(code);
    },
  );

  it('refuses passkey requests from another origin', async () => {
    const { client } = await signedIn(a);
    const response = await client.fetch('/api/passkeys/signin/options', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
  });
});

describe('passkey sign-in limits', () => {
  it('count attempts and options per client address, as the email limits do', async () => {
    // SIGN_IN_EMAILS_PER_IP=1: one attempt and ten options an hour; the client address comes from
    // the proxy's header, so this test's address is its own.
    const limited = await startPostgresApp({
      databaseUrl,
      wsProxy: inject('postgres').wsProxy,
      resend,
      siteUrl,
      env: { SIGN_IN_EMAILS_PER_IP: '1', CLIENT_IP_HEADER: 'x-forwarded-for', CLIENT_IP_HOPS: '1' },
    });
    try {
      const visitor = new HttpClient(limited.url, siteUrl);
      const from = { 'x-forwarded-for': '203.0.113.7' };
      const options = async () =>
        (await visitor.fetch('/api/passkeys/signin/options', { method: 'POST', headers: from })).status;
      const attempt = () =>
        visitor.fetch('/api/passkeys/signin', {
          json: { response: authenticator().assert({ challenge: 'z'.repeat(43) }) },
          headers: from,
        });
      expect((await attempt()).status).toBe(400); // counted, then refused: no such challenge
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(await errorCode(refused)).toBe('too_many_requests');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const statuses = [];
      for (let i = 0; i < 11; i++) statuses.push(await options());
      expect(statuses).toEqual([...Array(10).fill(200), 429]);
    } finally {
      await limited.stop();
    }
  });
});
