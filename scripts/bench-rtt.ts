/**
 * The bench's network-distance rows (issue #15): what a user of a remote database feels. The
 * signed-in routes are measured against a second server of the same build whose database traffic
 * goes through its own WebSocket proxy, which delays every message half the round-trip time each
 * way (scripts/support/ws-proxy.ts) and counts them: database round trips per request, p50/p99
 * at 1 and 10 connections with no distance and with `--rtt` ms of it, and the CPU time per request
 * of the app and of Postgres (from /proc), which a busy machine disturbs far less than req/s.
 *
 * Knobs: `npm run bench -- --rtt 5` or BENCH_RTT (ms, default 5; 0 measures the loopback rows
 * only), BENCH_RTT_DURATION (seconds per row, default the smaller of BENCH_DURATION and 5).
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type autocannon from 'autocannon';
import { openDatabase } from '#lib/db/index.server.ts';
import { FLOORS } from './bench-budgets.ts';

/** A route as the main bench describes it (the part this needs). */
export interface DistanceRoute {
  title: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
  expectStatus: number;
}

export interface DistanceRow {
  route: string;
  rttMs: number;
  connections: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Messages the app sent to the database per request: its round trips. */
  roundTrips: number;
  /**
   * CPU time per request (µs, from /proc; 0 elsewhere) of the app process and of Postgres: steadier
   * than req/s on a shared machine, as other processes' load doesn't change them much.
   */
  appCpuMicros: number;
  databaseCpuMicros: number;
  errors: number;
  responses: number;
}

/** A trivial statement's p50 (ms) through the proxy at one setting: what the setting really adds. */
export interface StatementP50 {
  rttMs: number;
  p50: number;
}

export interface DistanceSettings {
  rttMs: number;
  durationSeconds: number;
  connections: number[];
}

/** `--rtt N` on the command line wins over BENCH_RTT; a bad value stops the bench with a message. */
export function distanceSettings(argv: string[], env: NodeJS.ProcessEnv, benchDuration: number): DistanceSettings {
  const flag = argv.indexOf('--rtt');
  const text = flag >= 0 ? argv[flag + 1] : env.BENCH_RTT;
  const rttMs = Number(text ?? 5);
  if (!Number.isFinite(rttMs) || rttMs < 0 || rttMs > 1000) {
    throw new Error(`--rtt / BENCH_RTT must be a delay in ms between 0 and 1000, not "${text}"`);
  }
  const durationSeconds = Number(env.BENCH_RTT_DURATION ?? Math.min(benchDuration, 5));
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new Error(`BENCH_RTT_DURATION must be a number of seconds, not "${env.BENCH_RTT_DURATION}"`);
  }
  return { rttMs, durationSeconds, connections: [1, 10] };
}

/** What the main bench lends: its child starter (stopped at the end with the others). */
export interface DistanceContext {
  startNode: (name: string, args: string[], env: Record<string, string>, ready: RegExp) => Promise<ChildProcess>;
  freePort: () => Promise<number>;
  /** The app's environment without a port or proxy of its own. */
  appEnv: Record<string, string>;
  /** Its starter for a server of the build with production's Node flags and allocator. */
  startAppServer: (name: string, env: Record<string, string>, ready: RegExp) => Promise<ChildProcess>;
  dataDir: string;
  /** The Postgres server's port, to find its processes and their CPU time. */
  postgresPort: number;
}

/** Linux's clock tick for /proc CPU times (USER_HZ, 100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name (field 3 is the first); undefined when gone. */
function procStat(pid: number | string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU time (ms) a process has used: user + system, plus its reaped children's (cutime, cstime). */
function cpuMs(pid: number | string, withChildren = false): number {
  const fields = procStat(pid);
  if (!fields) return 0;
  const ticks = [11, 12, ...(withChildren ? [13, 14] : [])].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time (ms) the Postgres server on `port` has used: the postmaster (with the backends it has
 * reaped) and its live backends. 0 where there is no /proc. Found by the port on its command line.
 */
function postgresCpuMs(port: number): number {
  let postmaster: string | undefined;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('/postgres') && args[args.indexOf('-p') + 1] === String(port)) postmaster = pid;
    } catch {
      // gone meanwhile
    }
  }
  if (!postmaster) return 0;
  return pids.reduce((sum, pid) => sum + (procStat(pid)?.[1] === postmaster ? cpuMs(pid) : 0), cpuMs(postmaster, true));
}

/** Starts the counting proxy and a server of the build behind it; returns their URLs and the app's pid. */
async function startDistanceApp(
  context: DistanceContext,
): Promise<{ appUrl: string; proxyUrl: string; appPid: number }> {
  const proxyPort = await context.freePort();
  await context.startNode(
    'ws-proxy-distance',
    [
      '--input-type=module',
      '-e',
      `import('./scripts/support/ws-proxy.ts').then((m) => m.startWsProxy(${proxyPort})).then(() => console.log('proxy ready'))`,
    ],
    {},
    /proxy ready/,
  );
  const appPort = await context.freePort();
  const app = await context.startAppServer(
    'app-distance',
    {
      ...context.appEnv,
      NEON_WS_PROXY: `127.0.0.1:${proxyPort}/v1`,
      PORT: String(appPort),
      HOST: '127.0.0.1',
      DATA_DIR: context.dataDir,
    },
    /listening on/,
  );
  return { appUrl: `http://127.0.0.1:${appPort}`, proxyUrl: `http://127.0.0.1:${proxyPort}`, appPid: app.pid! };
}

async function proxyMessages(proxyUrl: string): Promise<number> {
  const stats = (await (await fetch(`${proxyUrl}/stats`)).json()) as { messagesFromClients: number };
  return stats.messagesFromClients;
}

interface RunResult {
  /** Milliseconds, each request's time from sending to the end of its answer. */
  latencies: number[];
  statuses: Map<number, number>;
  /** Requests that got no answer (connection errors). */
  failed: number;
  seconds: number;
}

/**
 * `connections` clients, each sending the route's next request as soon as the previous answer
 * has arrived, for `seconds`: autocannon's model, with latencies kept to the microsecond
 * (autocannon rounds them to whole milliseconds, too coarse for "p50 ≤ 5 + 2 ms").
 */
async function run(appUrl: string, route: DistanceRoute, connections: number, seconds: number): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const base: autocannon.Request = {
    method: (route.method ?? 'GET') as autocannon.Request['method'],
    path: route.path,
    headers: { 'accept-encoding': 'br, gzip', ...route.headers },
  };
  const result: RunResult = { latencies: [], statuses: new Map(), failed: 0, seconds };
  const end = performance.now() + seconds * 1000;
  const send = (request: autocannon.Request) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = http.request(`${appUrl}${request.path}`, {
        method: request.method,
        headers: request.headers,
        agent,
      });
      outgoing.on('response', (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const request = route.setupRequest ? route.setupRequest({ ...base, headers: { ...base.headers } }) : base;
        const started = performance.now();
        try {
          const status = await send(request);
          result.latencies.push(performance.now() - started);
          result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
        } catch {
          result.failed++;
        }
      }
    }),
  );
  agent.destroy();
  return result;
}

/** The q-quantile of sorted latencies. */
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Every route at every connection count, first on loopback, then `rttMs` away. */
export async function measureDistance(
  context: DistanceContext,
  routes: DistanceRoute[],
  settings: DistanceSettings,
): Promise<{ rows: DistanceRow[]; statementP50s: StatementP50[] }> {
  const statementP50s: StatementP50[] = [];
  const { appUrl, proxyUrl, appPid } = await startDistanceApp(context);
  const rows: DistanceRow[] = [];
  for (const rttMs of settings.rttMs > 0 ? [0, settings.rttMs] : [0]) {
    await fetch(`${proxyUrl}/rtt?ms=${rttMs}`, { method: 'PUT' });
    const statement = await statementLatency(context.appEnv.DATABASE_URL!, proxyUrl);
    console.log(`[bench] ${rttMs} ms away: one statement through the proxy, p50 ${statement.toFixed(2)} ms`);
    statementP50s.push({ rttMs, p50: statement });
    for (const route of routes) {
      for (const connections of settings.connections) {
        await run(appUrl, route, connections, 1); // warm-up: the pool's connections are open after it
        const before = await proxyMessages(proxyUrl);
        const [appBefore, dbBefore] = [cpuMs(appPid), postgresCpuMs(context.postgresPort)];
        const result = await run(appUrl, route, connections, settings.durationSeconds);
        const [appCpu, dbCpu] = [cpuMs(appPid) - appBefore, postgresCpuMs(context.postgresPort) - dbBefore];
        // The pool's own traffic settles (nothing is in flight: every request was answered).
        await new Promise((resolve) => setTimeout(resolve, 100 + 2 * rttMs));
        const messages = (await proxyMessages(proxyUrl)) - before;
        const answered = result.latencies.length;
        const responses = result.statuses.get(route.expectStatus) ?? 0;
        const sorted = result.latencies.sort((a, b) => a - b);
        const row: DistanceRow = {
          route: route.title,
          rttMs,
          connections,
          reqPerSec: answered / result.seconds,
          p50: quantile(sorted, 0.5),
          p99: quantile(sorted, 0.99),
          roundTrips: answered > 0 ? messages / answered : 0,
          appCpuMicros: answered > 0 ? (appCpu * 1000) / answered : 0,
          databaseCpuMicros: answered > 0 ? (dbCpu * 1000) / answered : 0,
          errors: result.failed + (answered - responses),
          responses,
        };
        rows.push(row);
        console.log(
          `[bench] ${rttMs} ms away, ${connections} connections: ${route.title}: p50 ${row.p50.toFixed(2)} ms, ${row.roundTrips.toFixed(2)} round trips`,
        );
      }
    }
  }
  return { rows, statementP50s };
}

/**
 * The p50 of a trivial statement through the proxy, sequentially, with a connection of its own:
 * the distance the proxy actually adds (its timers have millisecond resolution) is the difference
 * between two settings.
 */
async function statementLatency(databaseUrl: string, proxyUrl: string): Promise<number> {
  const database = await openDatabase({ url: databaseUrl, wsProxy: `${new URL(proxyUrl).host}/v1`, poolMax: 1 });
  const latencies: number[] = [];
  await database.query('SELECT $1::int', [0]);
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    await database.query('SELECT $1::int', [i]);
    latencies.push(performance.now() - started);
  }
  await database.end();
  return quantile(
    latencies.sort((a, b) => a - b),
    0.5,
  );
}

/** The floors for a route `rttMs` away at one connection: its p50 may exceed one round trip by this. */
function p50AllowanceMs(route: string): number | undefined {
  if (route.startsWith('PATCH /')) return FLOORS.patchP50OverRttMs;
  if (route.startsWith('GET /todos')) return FLOORS.todosP50OverRttMs;
  return undefined;
}

/** Prints the distance table and its floor checks; returns the failed checks. */
export function printDistance(rows: DistanceRow[], statementP50s: StatementP50[]): { failures: string[] } {
  const header = [
    'route (database distance)',
    'rtt ms',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'trips/req',
    'app µs/req',
    'db µs/req',
    'errors',
  ];
  const widths = [42, 6, 6, 9, 8, 8, 9, 10, 9, 7];
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i > 0 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' ');
  console.log(`\n${line(header)}\n${'-'.repeat(widths.reduce((a, b) => a + b + 1, 0))}`);
  for (const row of rows) {
    console.log(
      line([
        row.route,
        String(row.rttMs),
        String(row.connections),
        Math.round(row.reqPerSec).toLocaleString('en'),
        row.p50.toFixed(2),
        row.p99.toFixed(2),
        row.roundTrips.toFixed(2),
        Math.round(row.appCpuMicros).toLocaleString('en'),
        Math.round(row.databaseCpuMicros).toLocaleString('en'),
        String(row.errors),
      ]),
    );
  }
  const failures: string[] = [];
  const check = (ok: boolean, text: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
    if (!ok) failures.push(text);
  };
  console.log('');
  const loopback = statementP50s.find((s) => s.rttMs === 0);
  for (const { rttMs, p50 } of statementP50s) {
    if (rttMs > 0 && loopback)
      console.log(`info a ${rttMs} ms setting added ${(p50 - loopback.p50).toFixed(2)} ms to a statement's p50`);
  }
  for (const row of rows) {
    const at = `${row.rttMs} ms away at ${row.connections} connection${row.connections === 1 ? '' : 's'}`;
    // One statement per request. The count is every message the app sent, so the pool's own
    // traffic (a connection opened or closed for idleness during the run) shows as a few hundredths.
    if (row.rttMs === 0 && row.connections === 1)
      check(
        Math.round(row.roundTrips) === 1,
        `${row.route}: 1 database round trip per request: ${row.roundTrips.toFixed(2)}`,
      );
    const allowance = p50AllowanceMs(row.route);
    if (row.rttMs > 0 && row.connections === 1 && allowance !== undefined) {
      // Judged against the distance the proxy really added in this run (its timers run late on a
      // busy machine, or a little early), as measured on a trivial statement; the setting without one.
      const measured = statementP50s.find((s) => s.rttMs === row.rttMs);
      const distance = measured && loopback ? measured.p50 - loopback.p50 : row.rttMs;
      check(
        row.p50 <= distance + allowance,
        `${row.route} p50 ≤ distance + ${allowance} ms ${at} (${distance.toFixed(2)} ms measured): ${row.p50.toFixed(2)} ms`,
      );
    }
    check(row.errors === 0, `${row.route} ${at}: zero errors: ${row.errors}`);
  }
  return { failures };
}
