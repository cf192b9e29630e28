/**
 * N instances of one build on one Postgres (as behind a load balancer): sessions and sign-out are
 * shared, and a bounded concurrent load spread over both instances leaves the database exactly
 * equal to the acknowledged operations. Also: separate builds share server-island URLs only when
 * they were built with the same ASTRO_KEY.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import type { AppServer } from '../support/app-server.ts';
import { emptyDatabase } from '../support/databases.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import { HttpClient } from '../support/http-client.ts';
import { freePort } from '#scripts/support/ports.ts';
import { latestResendLink, startPostgresApp } from '../support/postgres-app.ts';
import { signedInClient } from '../support/session-fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Bounded for CI: USERS × OPERATIONS requests over both instances (LOAD_USERS / LOAD_OPS to change). */
const USERS = Number(process.env.LOAD_USERS ?? 20);
const OPERATIONS = Number(process.env.LOAD_OPS ?? 100);

interface Model {
  content: string;
  completed: boolean;
}

/** A small deterministic PRNG, so a failing run can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('two instances, one database', () => {
  let database: Database;
  let resend: FakeResend;
  let a: AppServer;
  let b: AppServer;
  /** The shared public URL: what browsers behind the load balancer send as Origin. */
  let siteUrl: string;

  beforeAll(async () => {
    const fresh = await emptyDatabase('postgres');
    database = fresh.database;
    resend = await startFakeResend();
    // Behind one load balancer both instances have the same public URL (and the same AUTH_SECRET).
    siteUrl = `http://127.0.0.1:${await freePort()}`;
    const options = { databaseUrl: fresh.url!, wsProxy: inject('postgres').wsProxy, resend, siteUrl };
    [a, b] = await Promise.all([startPostgresApp(options), startPostgresApp(options)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await resend?.close();
    await database?.end();
  });

  /** The same browser (same cookie jar) talking to the other instance. */
  const onOther = (client: HttpClient, server: AppServer) => {
    const other = new HttpClient(server.url, siteUrl);
    for (const [name, value] of client.cookies) other.cookies.set(name, value);
    return other;
  };

  it('a session created through one instance works on the other; sign-out on one ends it on both', async () => {
    const viaA = new HttpClient(a.url, siteUrl);
    const email = `ann.${Date.now()}@example.com`;
    // The email flow through A (the link points at the shared SITE_URL; follow its path on A).
    await viaA.signIn(email, async (to) => latestResendLink(resend, to));
    const viaB = onOther(viaA, b);

    const created = await viaA.fetch('/api/todos', { json: { content: 'made on A' } });
    expect(created.status).toBe(201);
    const listOnB = await viaB.fetch('/api/todos');
    expect(listOnB.status).toBe(200);
    expect((await listOnB.json()).map((t: { content: string }) => t.content)).toEqual(['made on A']);
    expect(await (await viaB.fetch('/todos')).text()).toContain('made on A');

    expect((await viaB.fetch('/signout', { form: {} })).status).toBe(303);
    expect((await viaA.fetch('/api/todos')).status).toBe(401);
    expect((await onOther(viaA, b).fetch('/api/todos')).status).toBe(401);
  });

  it(`keeps every acknowledged operation of ${USERS} users × ${OPERATIONS} mixed operations over both instances, and nothing else`, async () => {
    const servers = [a, b];
    const failures: string[] = [];
    const users = await Promise.all(
      Array.from({ length: USERS }, (_, i) => signedInClient(database, a.url, `load${i}.${Date.now()}@example.com`)),
    );

    const runUser = async (index: number) => {
      const { token } = users[index]!;
      const next = random(index + 1);
      const clients = servers.map((server) => {
        const client = new HttpClient(server.url, siteUrl);
        client.cookies.set('authjs.session-token', token);
        return client;
      });
      const model = new Map<number, Model>();
      const ids = () => [...model.keys()];
      for (let op = 0; op < OPERATIONS; op++) {
        const client = clients[next() < 0.5 ? 0 : 1]!;
        const roll = next();
        const target = ids()[Math.floor(next() * model.size)];
        let response: Response;
        if (roll < 0.4 || target === undefined) {
          const content = `u${index} op${op} ✓`;
          response = await client.fetch('/api/todos', { json: { content } });
          if (response.status === 201) {
            const todo = (await response.json()) as { id: number };
            model.set(todo.id, { content, completed: false });
          }
        } else if (roll < 0.6) {
          const completed = next() < 0.5;
          response = await client.fetch(`/api/todos/${target}`, { method: 'PATCH', json: { completed } });
          if (response.status === 200) model.get(target)!.completed = completed;
        } else if (roll < 0.7) {
          const content = `u${index} edited at ${op}`;
          response = await client.fetch(`/api/todos/${target}`, { method: 'PATCH', json: { content } });
          if (response.status === 200) model.get(target)!.content = content;
        } else if (roll < 0.85) {
          response = await client.fetch(`/api/todos/${target}`, { method: 'DELETE' });
          if (response.status === 204) model.delete(target);
        } else {
          response = await client.fetch('/api/todos');
          if (response.status === 200) {
            // Read-your-writes across instances: the list equals what this user was acknowledged.
            const listed = ((await response.json()) as Array<{ id: number }>).map((t) => t.id).sort((x, y) => x - y);
            if (JSON.stringify(listed) !== JSON.stringify(ids().sort((x, y) => x - y)))
              failures.push(`user ${index} op ${op}: stale list`);
          }
        }
        if (!response.ok) failures.push(`user ${index} op ${op}: ${response.status} ${await response.text()}`);
        else if (!response.bodyUsed) await response.body?.cancel();
      }
      return model;
    };

    const started = Date.now();
    const models = await Promise.all(users.map((_, index) => runUser(index)));
    const elapsed = Date.now() - started;
    console.log(
      `[load] ${USERS * OPERATIONS} operations over 2 instances in ${elapsed} ms (${Math.round((USERS * OPERATIONS * 1000) / elapsed)} req/s)`,
    );

    expect(failures).toEqual([]);
    for (const [index, { userId }] of users.entries()) {
      const { rows } = await database.query<{ id: number; content: string; completed: boolean }>(
        // Live todos: a delete keeps the row for undo (deleted_at set) until the prune.
        'SELECT id, content, completed FROM todos WHERE user_id = $1 AND deleted_at IS NULL ORDER BY id',
        [userId],
      );
      const expected = [...models[index]!].map(([id, todo]) => ({ id, ...todo })).sort((x, y) => x.id - y.id);
      expect(rows, `user ${index}`).toEqual(expected);
    }
    for (const server of servers) expect(server.logs()).not.toMatch(/"status":5\d\d|unhandled/);
  });
});

describe('ASTRO_KEY: server-island URLs across separate builds', () => {
  const key = randomBytes(32).toString('base64');
  const buildDir = path.join(ROOT, '.data', `test-build-${randomBytes(4).toString('hex')}`);
  let database: Database;
  let resend: FakeResend;
  let sameKey: AppServer;
  let ownKey: AppServer;

  beforeAll(async () => {
    // Build A and build B from the same source with the same ASTRO_KEY; the suite's own dist/ was
    // built without one (a random key), like a build whose pipeline forgot to set it.
    const astro = path.join(ROOT, 'node_modules', '.bin', 'astro');
    for (const name of ['a', 'b']) {
      await promisify(execFile)(astro, ['build', '--outDir', path.join(buildDir, name)], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ASTRO_KEY: key },
      });
    }
    const fresh = await emptyDatabase('postgres');
    database = fresh.database;
    resend = await startFakeResend();
    const options = { databaseUrl: fresh.url!, wsProxy: inject('postgres').wsProxy, resend };
    [sameKey, ownKey] = await Promise.all([
      startPostgresApp({ ...options, env: { DIST_DIR: path.join(buildDir, 'b') } }),
      startPostgresApp(options),
    ]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([sameKey?.stop(), ownKey?.stop()]);
    await resend?.close();
    await database?.end();
    rmSync(buildDir, { recursive: true, force: true });
  });

  it('an island URL from build A renders on build B with the same key, and is refused (400, not 500) by a build with another key', async () => {
    const html = readFileSync(path.join(buildDir, 'a', 'client', 'index.html'), 'utf8');
    const island = /\/_server-islands\/UserMenu\?e=[^"&]+&p=[^"&]*&s=[^"&]*/.exec(html)?.[0];
    expect(island).toBeTruthy();
    const onB = await fetch(`${sameKey.url}${island}`);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('Sign in');
    const elsewhere = await fetch(`${ownKey.url}${island}`);
    expect(elsewhere.status).toBe(400);
  });
});
