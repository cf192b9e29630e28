/**
 * `npm run test:bench`: a smoke run of `npm run bench` (scripts/bench.ts) with tiny durations:
 * every route, every limit (bare server, pgbench, the Neon driver alone) and every comparison
 * variant (library serving layers, no request log) is measured, every response is the expected
 * one, and the figures and size budgets are written as JSON. Speed is not judged here (a
 * one-second run on a busy machine says little): that is the bench's own job. Not part of
 * `npm test` (a few minutes); run it after changing the bench.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface BenchRow {
  route: string;
  connections: number;
  errors: number;
  responses: number;
}

it('measures every route and every limit with no errors, and writes the figures', async () => {
  const out = path.join(dir, 'bench.json');
  const run = await promisify(execFile)(process.execPath, ['scripts/bench.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BENCH_DURATION: '1',
      BENCH_CONNECTIONS: '2',
      BENCH_OUT: out,
    },
    maxBuffer: 10 * 1024 * 1024,
  }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
    // Exit code 1 is a missed floor (not judged here); anything else is a failed run.
    if (error.code !== 1) throw new Error(`bench failed (${error.code}):\n${error.stdout}\n${error.stderr}`);
    return { stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
  });
  expect(run.stdout).toMatch(/route\s+conns\s+req\/s\s+p50 ms\s+p99 ms\s+errors\s+bytes\s+vs limit/);

  const results = JSON.parse(readFileSync(out, 'utf8')) as {
    rows: BenchRow[];
    budgets: Record<string, number>;
    distance: Array<BenchRow & { rttMs: number; roundTrips: number }>;
  };
  const routes = results.rows.map((row) => row.route);
  expect(routes).toEqual([
    'GET / (landing)',
    'GET /docs/getting-started',
    'island, anonymous',
    'PATCH without a session (401, no DB)',
    'GET / (landing) [no request log]',
    'GET / (landing) [sirv + compression]',
    'GET /docs/getting-started [sirv + compression]',
    'island, anonymous [sirv + compression]',
    'GET / (landing) [adapter + compression]',
    'GET /docs/getting-started [adapter + compression]',
    'island, anonymous [adapter + compression]',
    'island, signed in',
    'GET /todos, signed in (50 todos)',
    'POST /api/todos',
    'PATCH /api/todos/:id',
    'island, signed in [sirv + compression]',
    'island, signed in [adapter + compression]',
    'limit: bare node:http, landing bytes',
    'limit: pgbench PATCH SQL',
    'limit: Neon driver PATCH SQL, no HTTP',
  ]);
  for (const row of results.rows) {
    expect(row.connections, row.route).toBe(2);
    expect(row.responses, row.route).toBeGreaterThan(0);
    expect(row.errors, row.route).toBe(0);
  }
  const patch = results.rows.find((row) => row.route === 'PATCH /api/todos/:id') as BenchRow & { pathLimit?: string };
  expect(patch.pathLimit).toBe('limit: Neon driver PATCH SQL, no HTTP');
  // The network-distance rows (scripts/bench-rtt.ts): each signed-in route, 1 and 10 connections,
  // on loopback and 5 ms away, one database round trip per request.
  const signedIn = ['island, signed in', 'GET /todos, signed in (50 todos)', 'POST /api/todos', 'PATCH /api/todos/:id'];
  expect(results.distance.map((row) => `${row.route} ${row.rttMs} ${row.connections}`)).toEqual(
    [0, 5].flatMap((rtt) => signedIn.flatMap((route) => [1, 10].map((conns) => `${route} ${rtt} ${conns}`))),
  );
  for (const row of results.distance) {
    expect(row.responses, row.route).toBeGreaterThan(0);
    expect(row.errors, row.route).toBe(0);
    expect(Math.round(row.roundTrips), row.route).toBe(1);
  }

  expect(results.budgets.landingHtmlCssBytes).toBeGreaterThan(1000);
  expect(results.budgets.todosJavaScriptBytes).toBeGreaterThan(10_000);
  expect(results.budgets.landingJavaScriptBytes).toBe(0);
  expect(results.budgets.docsJavaScriptBytes).toBeLessThan(25 * 1024);
});
