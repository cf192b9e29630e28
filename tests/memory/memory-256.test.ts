/**
 * Issue #16: the production build fits the smallest instances of common hosts (256 MiB). The
 * server runs in Postgres mode with production's memory settings (scripts/support/server-runtime.ts:
 * the heap flags package.json's scripts and the Dockerfile give it, and the image's jemalloc),
 * takes a bounded burst of signed-in traffic at 10–50 connections (the page with 50 todos, the
 * account-menu island, PATCH, POST), and must stay up, answer every request correctly, and keep its
 * resident memory (RSS, read from /proc: what a container's limit counts) under 256 MiB from start
 * to end.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import type { Database } from '#lib/db/index.server.ts';
import { MiB, readProcessMemory, samplePeakRss } from '#scripts/support/process-memory.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';
import { productionRuntime } from '#scripts/support/server-runtime.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';

const INSTANCE_MIB = 256;
const USERS = 20;
const TODOS_PER_USER = 50;
const POSTS = 300;
const token = (user: number) => `memory-test-session-${user}`;
const cookie = (user: number) => `authjs.session-token=${token(user)}`;

const runtime = productionRuntime();
let app: RunningApp;
let database: Database;
let islandPath: string;
const todoIds = new Map<number, number[]>();

beforeAll(async () => {
  app = await startApp('postgres', { nodeArgs: runtime.nodeFlags, env: runtime.env });
  database = app.database!;
  // Users 1..USERS with sessions; the first half with 50 todos each (read and toggled), the other
  // half add todos (POST).
  const { rows } = await database.query<{ id: number; n: number }>(
    `INSERT INTO users (email, "emailVerified")
       SELECT 'memory-' || g || '@example.com', now() FROM generate_series(1, ${USERS}) g
     RETURNING id, substring(email from 'memory-(\\d+)@')::int AS n`,
  );
  for (const { id, n } of rows) {
    await database.query(
      `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '30 days')`,
      [id, hashSessionToken(token(n))],
    );
    if (n > USERS / 2) continue;
    const todos = await database.query<{ id: number }>(
      `INSERT INTO todos (user_id, content)
         SELECT $1, 'Memory test todo ' || t FROM generate_series(1, ${TODOS_PER_USER}) t RETURNING id`,
      [id],
    );
    todoIds.set(
      n,
      todos.rows.map((row) => row.id),
    );
  }
  const landing = await rawRequest(`${app.server.url}/`, {});
  islandPath = /\/_server-islands\/UserMenu\?[^"]+/.exec(landing.text())![0].replaceAll('&amp;', '&');
});

afterAll(async () => {
  await app?.stop();
});

interface Burst {
  name: string;
  connections: number;
  amount: number;
  expectStatus: number;
  request: (turn: number) => autocannon.Request;
}

const readers = USERS / 2;
const BURSTS: Burst[] = [
  {
    name: 'GET /todos (50 todos)',
    connections: 10,
    amount: 300,
    expectStatus: 200,
    request: (turn) => ({ method: 'GET', path: '/todos', headers: { cookie: cookie(1 + (turn % readers)) } }),
  },
  {
    name: 'GET /todos (50 todos)',
    connections: 50,
    amount: 300,
    expectStatus: 200,
    request: (turn) => ({ method: 'GET', path: '/todos', headers: { cookie: cookie(1 + (turn % readers)) } }),
  },
  {
    name: 'island, signed in',
    connections: 50,
    amount: 800,
    expectStatus: 200,
    request: (turn) => ({ method: 'GET', path: islandPath, headers: { cookie: cookie(1 + (turn % USERS)) } }),
  },
  {
    name: 'PATCH /api/todos/:id',
    connections: 50,
    amount: 800,
    expectStatus: 200,
    request: (turn) => {
      const user = 1 + (turn % readers);
      return {
        method: 'PATCH',
        path: `/api/todos/${todoIds.get(user)![turn % TODOS_PER_USER]}`,
        headers: { cookie: cookie(user), origin: app.server.url, 'content-type': 'application/json' },
        body: JSON.stringify({ completed: turn % 2 === 0 }),
      };
    },
  },
  {
    name: 'POST /api/todos',
    connections: 25,
    amount: POSTS,
    expectStatus: 201,
    request: (turn) => ({
      method: 'POST',
      path: '/api/todos',
      headers: {
        cookie: cookie(readers + 1 + (turn % readers)),
        origin: app.server.url,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ content: `added under load ${turn}` }),
    }),
  },
];

it(`stays up, answers every signed-in request and keeps its RSS under ${INSTANCE_MIB} MiB through a burst`, async () => {
  const pid = app.server.pid;
  const started = readProcessMemory(pid);
  // /proc is Linux's; elsewhere there is nothing to measure (CI and the containers are Linux).
  if (!started) return;
  // The allocator is production's (jemalloc, when this machine has it as the image does).
  const mapped = readFileSync(`/proc/${pid}/maps`, 'utf8');
  expect(mapped.includes('libjemalloc'), `malloc: ${runtime.allocator}`).toBe(runtime.allocator === 'jemalloc');
  const memory = samplePeakRss(pid, 50);
  const seen: string[] = [];
  for (const burst of BURSTS) {
    let turn = 0;
    const result = await autocannon({
      url: app.server.url,
      connections: burst.connections,
      amount: burst.amount,
      headers: { 'accept-encoding': 'br, gzip' },
      requests: [{ setupRequest: (request) => ({ ...request, ...burst.request(turn++) }) }],
    });
    const statuses = result.statusCodeStats as Record<string, { count: number }>;
    seen.push(`${burst.name} at ${burst.connections}: ${JSON.stringify(statuses)}, errors ${result.errors}`);
    expect(result.errors + result.timeouts, burst.name).toBe(0);
    expect(statuses[String(burst.expectStatus)]?.count, `${burst.name}: ${seen.at(-1)}`).toBe(burst.amount);
  }
  const peakMiB = memory.stop()! / MiB;

  // Still up and still right: ready, and a page and the API show what the burst wrote.
  expect((await fetch(`${app.server.url}/readyz`)).status).toBe(200);
  const page = await fetch(`${app.server.url}/todos`, { headers: { cookie: cookie(1) } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Memory test todo 50');
  const added = await fetch(`${app.server.url}/api/todos`, { headers: { cookie: cookie(USERS) } });
  expect(((await added.json()) as unknown[]).length).toBe(POSTS / readers);

  expect(
    peakMiB,
    `peak RSS ${peakMiB.toFixed(0)} MiB (at start ${(started.rssBytes / MiB).toFixed(0)} MiB)`,
  ).toBeLessThan(INSTANCE_MIB);
}, 60_000);
