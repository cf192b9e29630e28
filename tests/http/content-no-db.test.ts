/**
 * "No database query for a request without a session cookie", checked on the production build in
 * Postgres mode against the real server: PostgreSQL's own pg_stat_activity says when each
 * connection to the app's database last started a query, so a query from the app during the
 * anonymous requests shows up as a newer query_start (or a new connection).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import type { AppServer } from '../support/app-server.ts';
import { emptyDatabase } from '../support/databases.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import { startPostgresApp } from '../support/postgres-app.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';

let server: AppServer;
let resend: FakeResend;
let appDatabase: Database;
/** One connection (pool of 1), so its own queries can be told apart by pid. */
let observer: Database;
let islandPath: string;
/** The landing hero's call to action, a second server island. */
let ctaPath: string;

beforeAll(async () => {
  const { database, url } = await emptyDatabase('postgres');
  appDatabase = database;
  resend = await startFakeResend();
  server = await startPostgresApp({ databaseUrl: url!, wsProxy: inject('postgres').wsProxy, resend });
  observer = await openDatabase({ url, wsProxy: inject('postgres').wsProxy, poolMax: 1 });
  const home = await rawRequest(`${server.url}/`);
  islandPath = /\/_server-islands\/UserMenu\?[^"]+/.exec(home.text())![0].replaceAll('&amp;', '&');
  ctaPath = /\/_server-islands\/HeroCta\?[^"]+/.exec(home.text())![0].replaceAll('&amp;', '&');
});
afterAll(async () => {
  await server?.stop();
  await resend?.close();
  await observer?.end();
  await appDatabase?.end();
});

/** The database's clock now, to compare query_start with. */
async function databaseNow(): Promise<Date> {
  const { rows } = await observer.query<{ now: Date }>('SELECT clock_timestamp() AS now');
  return rows[0]!.now;
}

/** Queries started (or connections opened) on the app's database since `since`, other than ours. */
async function activitySince(since: Date): Promise<number> {
  const { rows } = await observer.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND (query_start >= $1 OR backend_start >= $1)`,
    [since],
  );
  return rows[0]!.count;
}

const ANONYMOUS_REQUESTS: Array<[string, Record<string, string>]> = [
  ['/', {}],
  ['/features', {}],
  ['/docs/getting-started', { 'accept-encoding': 'br' }],
  ['/docs/security-model', { 'if-none-match': '"stale"' }],
  ['/no-such-page', {}],
  ['/todos', {}],
  ['/api/todos', {}],
  ['/signin', {}],
];

describe('requests without a session cookie', () => {
  it('make no database query: pages, the island, the API and redirects', async () => {
    const since = await databaseNow();
    for (const [path, headers] of ANONYMOUS_REQUESTS) await rawRequest(`${server.url}${path}`, headers);
    // The island, with cookies that are not a session (a CSRF cookie, an analytics cookie).
    await rawRequest(`${server.url}${islandPath}`);
    await rawRequest(`${server.url}${islandPath}`, { cookie: 'authjs.csrf-token=abc; theme=dark' });
    await rawRequest(`${server.url}${islandPath}`, { cookie: 'authjs.session-token=' });
    await rawRequest(`${server.url}${ctaPath}`);
    await rawRequest(`${server.url}${ctaPath}`, { cookie: 'authjs.csrf-token=abc' });
    expect(await activitySince(since)).toBe(0);
  });

  it('is a check that can fail: a signed-in request shows up as a query', async () => {
    const token = randomBytes(32).toString('hex');
    const email = `reader-${randomBytes(4).toString('hex')}@example.com`;
    const { rows } = await appDatabase.query<{ id: number }>(
      'INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id',
      [email, 'Rea Der'],
    );
    await appDatabase.query(
      `INSERT INTO sessions ("userId", expires, "sessionToken") VALUES ($1, now() + interval '30 days', $2)`,
      [rows[0]!.id, hashSessionToken(token)],
    );

    const since = await databaseNow();
    const island = await rawRequest(`${server.url}${islandPath}`, { cookie: `authjs.session-token=${token}` });
    expect(island.text()).toContain('Rea Der');
    expect(await activitySince(since)).toBeGreaterThan(0);

    // The anonymous answer is still the signed-out menu, and a signed-in one never comes from it.
    expect((await rawRequest(`${server.url}${islandPath}`)).text()).toContain('href="/signin"');
    expect(
      (await rawRequest(`${server.url}${islandPath}`, { cookie: `authjs.session-token=${token}` })).text(),
    ).toContain('Rea Der');
  });
});
