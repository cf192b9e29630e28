/**
 * Issue #16: a request's objects must die young. When something made per request (a getter in an
 * object literal, a closure installed as a method on the response, a closure on `locals`) keeps
 * the request reachable across young-generation collections, V8 promotes the whole request to the
 * old generation — 10–17 KB per request, the heap grows to ~4× its live data and RSS follows
 * (README → Memory, round 7). The production server runs here with `--trace-gc-nvp`, which prints
 * how many bytes each young collection promoted; requests that Astro answers, one after another,
 * must promote well under 2 KB each (0.5–0.7 KB measured: undici's request finalizer, bounded).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '#scripts/support/server-runtime.ts';
import { startAppServer, type AppServer } from '../support/app-server.ts';

const REQUESTS = 3_000;

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({ nodeArgs: [...SERVER_NODE_FLAGS, '--trace-gc-nvp'] });
});

afterAll(async () => {
  await server?.stop();
});

/** Bytes promoted by each young-generation collection logged so far. */
function promotedByScavenges(): number[] {
  return [...server.logs().matchAll(/ gc=s .*? promoted=(\d+) /g)].map((match) => Number(match[1]));
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
  const promoted = promotedByScavenges().slice(before);
  // Enough young collections ran for the measure to mean something (each request allocates ~60 KB).
  expect(promoted.length).toBeGreaterThanOrEqual(5);
  const perRequest = promoted.reduce((sum, bytes) => sum + bytes, 0) / REQUESTS;
  expect(perRequest, `promoted bytes per request over ${promoted.length} young collections`).toBeLessThan(2048);
});
