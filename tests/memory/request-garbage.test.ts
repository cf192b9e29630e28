/**
 * Issue #16: a request's objects must die young. When something made per request (a getter in an
 * object literal, a closure installed as a method on the response, a closure on `locals`) keeps
 * the request reachable across young-generation collections, V8 promotes the whole request to the
 * old generation — 10–17 KB per request, the heap grows to ~4× its live data and RSS follows
 * (README → Memory, round 7). The production server runs here (Postgres mode) with
 * `--trace-gc-nvp`, which prints how many bytes each young collection promoted; requests that Astro
 * answers, one after another, must promote well under 2 KB each (0.5–0.7 KB measured: undici's
 * request finalizer, bounded).
 */
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { productionRuntime } from '#scripts/support/server-runtime.ts';
import type { AppServer } from '../support/app-server.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';

const REQUESTS = 3_000;

let app: RunningApp;
let server: AppServer;

beforeAll(async () => {
  const runtime = productionRuntime();
  app = await startApp('postgres', { nodeArgs: [...runtime.nodeFlags, '--trace-gc-nvp'], env: runtime.env });
  server = app.server;
});

afterAll(async () => {
  await app?.stop();
});

/** Bytes promoted by each young-generation collection logged so far. */
function promotedByScavenges(): number[] {
  return [...server.logs().matchAll(/ gc=s .*? promoted=(\d+) /g)].map((match) => Number(match[1]));
}

/** The young collections logged after the first `before`: how many, and the bytes they promoted. */
function promotedSince(before: number): { collections: number; bytes: number } {
  const promoted = promotedByScavenges().slice(before);
  return { collections: promoted.length, bytes: promoted.reduce((sum, bytes) => sum + bytes, 0) };
}

async function send(path: string, init: RequestInit): Promise<number> {
  const response = await fetch(`${server.url}${path}`, init);
  await response.arrayBuffer();
  return response.status;
}

it.each([
  ['PATCH /api/todos/1 without a session (401)', '/api/todos/1', 401, { method: 'PATCH', body: '{"completed":true}' }],
  ['GET /api/todos without a session (401)', '/api/todos', 401, { method: 'GET' }],
] as const)('%s: promotes under 2 KB per request', async (_name, path, status, init) => {
  const request = { ...init, headers: { 'content-type': 'application/json', origin: server.url } };
  for (let i = 0; i < 300; i++) await send(path, request); // warm up: code compiled, caches filled
  const before = promotedByScavenges().length;
  for (let i = 0; i < REQUESTS; i++) expect(await send(path, request)).toBe(status);
  const { collections, bytes } = promotedSince(before);
  // Enough young collections ran for the measure to mean something (each request allocates ~60 KB).
  expect(collections).toBeGreaterThanOrEqual(5);
  expect(bytes / REQUESTS, `promoted bytes per request over ${collections} young collections`).toBeLessThan(2048);
});

/**
 * The page with 50 todos under concurrent load: a young collection every 5–8 pages (production's
 * 2 × 8 MiB young generation), about as long as a page is in flight, so what a page holds until its
 * answer is written is promoted. React's renderToString returns the list as a rope of thousands of
 * small strings that keeps every escaped attribute alive; flattened at once
 * (src/todos/TodoIsland.astro) the page holds one string instead. With production's runtime, alone
 * on the machine: 75–94 KB promoted per page flattened, 297–298 KB with the rope, so the bound sits
 * between them with room either side. (Session 10, 2 × 16 MiB: 407 KB with the rope, 152 KB
 * flattened, 103–104 KB once the list's HTML was Latin-1 — the case before this one checks that
 * directly.) Other test files running beside it make pages wait on the database across more
 * collections (147 KB in a CI run), which is why `npm test` runs tests/memory alone.
 */
describe('GET /todos with 50 todos at 10 connections', () => {
  const TOKEN = 'request-garbage-session';
  const PAGES = 2_000;

  beforeAll(async () => {
    const database = app.database!;
    const { rows } = await database.query<{ id: number }>(
      `INSERT INTO users (email, "emailVerified") VALUES ('garbage@example.com', now()) RETURNING id`,
    );
    const userId = rows[0]!.id;
    await database.query(
      `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '30 days')`,
      [userId, hashSessionToken(TOKEN)],
    );
    await database.query(
      `INSERT INTO todos (user_id, content) SELECT $1, 'Garbage test todo number ' || t FROM generate_series(1, 50) t`,
      [userId],
    );
  });

  async function load(amount: number): Promise<autocannon.Result> {
    return autocannon({
      url: `${server.url}/todos`,
      connections: 10,
      amount,
      headers: { cookie: `authjs.session-token=${TOKEN}` },
    });
  }

  /**
   * V8 keeps a string one byte per character while every character is Latin-1; one character past
   * U+00FF anywhere in the page (a “quote” in the footer) makes Astro's whole page a two-byte
   * string, twice the bytes to allocate and a slower UTF-8 encode (6 % of the page's CPU profile).
   * The shell writes such characters as entities, so with Latin-1 todos the page stays one-byte.
   */
  it('is Latin-1 text when the todos are (a one-byte string in V8)', async () => {
    const response = await fetch(`${server.url}/todos`, { headers: { cookie: `authjs.session-token=${TOKEN}` } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const wide = [...new Set([...html].filter((char) => char.codePointAt(0)! > 0xff))];
    expect(wide, 'characters past U+00FF in the page').toEqual([]);
  });

  it('promotes under 160 KB per page', async () => {
    await load(300); // warm up
    const before = promotedByScavenges().length;
    const result = await load(PAGES);
    expect(result.non2xx + result.errors).toBe(0);
    const { collections, bytes } = promotedSince(before);
    expect(collections).toBeGreaterThanOrEqual(20);
    expect(bytes / PAGES, `promoted bytes per page over ${collections} young collections`).toBeLessThan(160 * 1024);
  });
});
