/**
 * `npm run bench`: the production build against a real PostgreSQL (throwaway cluster, reached
 * through the Neon driver and the WebSocket proxy, as the tests do), measured on loopback with
 * autocannon at each concurrency, next to its limits measured in the same run:
 *   - a bare node:http server answering the landing page's exact bytes from memory, measured just
 *     before and just after each route compared with it (the machine's speed drifts);
 *   - pgbench running the SQL statements the PATCH endpoint runs (session read + update);
 *   - the same statements through the app's own driver and proxy without HTTP (reported only).
 * Beside the production serving layer, the same build served by maintained libraries (SERVING=sirv:
 * sirv + compression; SERVING=stock: the adapter's own handler + compression) on the content and
 * island routes, and the landing page with the per-request log line off (LOG_LEVEL=warn): what
 * docs/adr/0001-serving-layer.md decides with. Those rows are reported against the production row
 * of the same route; the floors gate the production rows only.
 * Each row also has the serving process's peak RSS during it (scripts/support/process-memory.ts;
 * RSS seldom goes back down, so a row's peak includes what earlier rows left resident); every
 * server runs with production's Node flags and allocator (scripts/support/server-runtime.ts:
 * jemalloc when Debian's libjemalloc2 is installed, as in the Docker image; the run says which).
 * Prints one table and writes the figures as JSON (dist/bench-results.json, or BENCH_OUT).
 *
 * Knobs: BENCH_DURATION (seconds per measurement, default 10), BENCH_CONNECTIONS (default
 * "10,50"), BENCH_OUT, and the network-distance rows' `--rtt` (scripts/bench-rtt.ts). Exit code 1 when a floor is missed, so a run can gate a release.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '#lib/db/index.server.ts';
import { migrate } from '#lib/db/migrate.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { findPostgresBin, startThrowawayPostgres } from './support/postgres.ts';
import { startFakeResend } from './support/fake-resend.ts';
import { postgresAppEnv } from './support/postgres-app-env.ts';
import { freePort } from './support/ports.ts';
import { rawRequest } from './support/raw-http.ts';
import { samplePeakRss } from './support/process-memory.ts';
import { productionRuntime, SERVER_ENTRY } from './support/server-runtime.ts';
import { exitWithoutBuild, ROOT, startNode as startChild, stopChild } from './support/child-process.ts';
import { BUDGETS, FLOORS, measureLandingBytes, measurePageScripts } from './bench-budgets.ts';
import { measureLiveStreams } from './bench-live.ts';
import { measureLogCost } from './bench-log.ts';
import { type DistanceRoute, distanceSettings, measureDistance, printDistance } from './bench-rtt.ts';
import { printTable, type Row } from './bench-report.ts';
import { seedBenchData, SEED, sessionToken, todoId } from './bench-seed.ts';
import { capturePatchStatements, patchParams, pgbenchScript, type PatchStatements } from './bench-statements.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);
const OUT = process.env.BENCH_OUT ?? path.join(ROOT, 'dist', 'bench-results.json');
const ACCEPT = { 'accept-encoding': 'br, gzip' };
/** The app's database pool size (DATABASE_POOL_MAX's default); the driver limit uses the same. */
const APP_POOL_MAX = 10;
/** The network-distance rows (scripts/bench-rtt.ts): `--rtt N` / BENCH_RTT. */
const DISTANCE = distanceSettings(process.argv.slice(2), process.env, DURATION);

exitWithoutBuild('bench', 'npm run bench');

const work = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const children: ChildProcess[] = [];

/** Starts a Node child of this run (logs in the work directory), stopped at the end. */
async function startNode(
  name: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<ChildProcess> {
  const child = await startChild(path.join(work, `${name}.log`), args, env, ready);
  children.push(child);
  return child;
}

/** How the app servers start: production's memory settings on this machine. */
const RUNTIME = productionRuntime();

/**
 * Starts a server of the build as production runs it — production's Node flags and allocator
 * (scripts/support/server-runtime.ts) — because every server measured has its RSS as a column and
 * a floor. `nodeArgs` go after production's flags (the last V8 flag wins).
 */
async function startAppServer(
  name: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  return startNode(name, [...RUNTIME.nodeFlags, ...nodeArgs, SERVER_ENTRY], { ...env, ...RUNTIME.env }, ready);
}

/** Polls /readyz until the server answers 200 (for children that print nothing when ready). */
async function waitForReady(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not become ready`);
}

/** A measured route: what the distance rows need (its `setupRequest` varies each request: cookie, body, path), and more. */
interface Measure extends DistanceRoute {
  /** Another server variant than production's (its app URL), for the comparison rows. */
  variant?: string;
  /** What the route is compared with: the bare server (no database work) or pgbench. */
  limit: 'bare' | 'pgbench';
}

async function cannon(
  url: string,
  measure: Measure,
  connections: number,
  duration: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: url + measure.path,
    connections,
    duration,
    method: (measure.method ?? 'GET') as autocannon.Request['method'],
    headers: { ...ACCEPT, ...measure.headers },
    ...(measure.setupRequest ? { requests: [{ setupRequest: measure.setupRequest }] } : {}),
  });
}

/** The HTTP measurement as a row; a response with another status than expected is an error. */
function toRow(route: string, connections: number, result: autocannon.Result, expectStatus: number): Row {
  const statusCount = (result.statusCodeStats as Record<string, { count: number }> | undefined) ?? {};
  const expected = statusCount[String(expectStatus)]?.count ?? 0;
  const wrong = Object.entries(statusCount).reduce(
    (sum, [code, { count }]) => sum + (code === String(expectStatus) ? 0 : count),
    0,
  );
  return {
    route,
    connections,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + wrong,
    bytesPerResponse: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
    responses: expected,
  };
}

/** p50 and p99 of latencies measured outside autocannon (ms); sorts `latencies` in place. */
function latencyQuantiles(latencies: number[]): { p50: number; p99: number } {
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { p50: quantile(0.5), p99: quantile(0.99) };
}

/** Several runs of one limit as one row: mean rate and latencies, summed errors and responses. */
function meanRow(route: string, runs: Row[]): Row {
  const mean = (pick: (row: Row) => number) => runs.reduce((sum, row) => sum + pick(row), 0) / runs.length;
  return {
    route,
    connections: runs[0]!.connections,
    reqPerSec: mean((r) => r.reqPerSec),
    p50: mean((r) => r.p50),
    p99: mean((r) => r.p99),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    bytesPerResponse: Math.round(mean((r) => r.bytesPerResponse)),
    responses: runs.reduce((sum, r) => sum + r.responses, 0),
  };
}

/** pgbench with the PATCH endpoint's statements, at `clients` connections, for `duration` s. */
async function pgbench(
  statements: PatchStatements,
  pgPort: number,
  database: string,
  clients: number,
  duration: number,
): Promise<Row> {
  const script = path.join(work, 'patch.sql');
  writeFileSync(script, pgbenchScript(statements));
  const logDir = mkdtempSync(path.join(work, 'pgbench-'));
  const args = [
    '-n',
    '-M',
    'prepared',
    '-h',
    '127.0.0.1',
    '-p',
    String(pgPort),
    '-U',
    'postgres',
    '-c',
    String(clients),
    '-j',
    '2',
    '-T',
    String(duration),
    '-l',
    '--log-prefix',
    path.join(logDir, 'tx'),
    '-f',
    script,
    database,
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(path.join(findPostgresBin(), 'pgbench'), args, { cwd: logDir });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}:\n${text}`)),
    );
  });
  const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  // Per-transaction log lines: client_id transaction_no time(µs) script_no time_epoch time_us
  const latencies: number[] = [];
  for (const file of readdirSync(logDir)) {
    for (const line of readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      const micros = Number(line.split(' ')[2]);
      if (Number.isFinite(micros) && line) latencies.push(micros / 1000);
    }
  }
  return {
    route: 'limit: pgbench PATCH SQL',
    connections: clients,
    reqPerSec: tps,
    ...latencyQuantiles(latencies),
    errors: failed,
    bytesPerResponse: 0,
    responses: latencies.length,
  };
}

/**
 * The PATCH statements through the app's own database layer (Neon driver, WebSocket proxy, a pool
 * as large as the app's), with `callers` concurrent loops and no HTTP: what the driver path alone
 * allows, so the PATCH row can be read against pgbench (the database) and against this (the path).
 */
async function driverLimit(
  statements: PatchStatements,
  databaseUrl: string,
  wsProxy: string,
  poolMax: number,
  callers: number,
  duration: number,
): Promise<Row> {
  const database = await openDatabase({ url: databaseUrl, wsProxy, poolMax });
  const latencies: number[] = [];
  const end = performance.now() + duration * 1000;
  let turn = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) {
        const user = 1 + (turn++ % SEED.activeUsers);
        const started = performance.now();
        await database.query(
          statements.patch,
          patchParams(hashSessionToken(sessionToken(user)), todoId(user, turn % SEED.todosPerUser), turn % 2 === 0),
        );
        latencies.push(performance.now() - started);
      }
    }),
  );
  await database.end();
  return {
    route: 'limit: Neon driver PATCH SQL, no HTTP',
    connections: callers,
    reqPerSec: latencies.length / duration,
    ...latencyQuantiles(latencies),
    errors: 0,
    bytesPerResponse: 0,
    responses: latencies.length,
  };
}

async function main() {
  console.log(
    `[bench] ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${DURATION} s per measurement, connections ${CONNECTIONS.join(', ')}`,
  );
  console.log(`[bench] app servers: node ${RUNTIME.nodeFlags.join(' ')}, malloc: ${RUNTIME.allocator}`);
  const postgres = await startThrowawayPostgres();
  const proxyPort = await freePort();
  // The proxy carries every query of the app: in its own process, not competing with autocannon.
  await startNode(
    'ws-proxy',
    [
      '--input-type=module',
      '-e',
      `import('./scripts/support/ws-proxy.ts').then((m) => m.startWsProxy(${proxyPort})).then(() => console.log('proxy ready'))`,
    ],
    {},
    /proxy ready/,
  );
  const wsProxy = `127.0.0.1:${proxyPort}/v1`;

  const admin = await openDatabase({ url: postgres.url, wsProxy, poolMax: 1 });
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const databaseUrl = postgres.urlFor('bench');
  const database = await openDatabase({ url: databaseUrl, wsProxy, poolMax: 2 });
  await migrate(database, path.join(ROOT, 'db/migrations'));
  await seedBenchData(database);
  console.log(
    `[bench] seeded ${SEED.users} users with sessions, ${SEED.activeUsers} of them with ${SEED.todosPerUser} todos`,
  );

  const resend = await startFakeResend();
  const appPort = await freePort();
  const env = postgresAppEnv({ databaseUrl, wsProxy, resend, port: appPort });
  // BENCH_APP_NODE_ARGS: extra Node flags for the app server, e.g. "--cpu-prof --cpu-prof-dir=prof".
  const appArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const app = await startAppServer(
    'app',
    { ...env, PORT: String(appPort), HOST: '127.0.0.1', DATA_DIR: path.join(work, 'data') },
    /listening on/,
    appArgs,
  );
  const appUrl = `http://127.0.0.1:${appPort}`;
  // The comparison variants: the same build and database, other serving layers or no request log.
  const variantUrls: Record<string, string> = {};
  const variantPids: Record<string, number | undefined> = {};
  const VARIANTS: Array<[string, Record<string, string>]> = [
    ['no request log', { LOG_LEVEL: 'warn' }],
    ['sirv + compression', { SERVING: 'sirv' }],
    ['adapter + compression', { SERVING: 'stock' }],
  ];
  for (const [name, extra] of VARIANTS) {
    const port = await freePort();
    const dataDir = path.join(work, `data-${port}`);
    // LOG_LEVEL=warn prints no "listening on": wait for the health probe instead.
    const child = await startAppServer(
      `app-${port}`,
      { ...env, ...extra, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
      /(?:)/,
    );
    variantPids[name] = child.pid;
    variantUrls[name] = `http://127.0.0.1:${port}`;
    await waitForReady(variantUrls[name]);
  }

  // The statements pgbench runs are the ones the build runs for PATCH, read back from Postgres.
  const capturePort = await freePort();
  const captureName = 'bench-capture';
  const capture = await startNode(
    'capture',
    [SERVER_ENTRY],
    {
      ...postgresAppEnv({
        databaseUrl: `${databaseUrl}?application_name=${captureName}`,
        wsProxy,
        resend,
        port: capturePort,
      }),
      DATABASE_POOL_MAX: '1',
      PORT: String(capturePort),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(work, 'capture-data'),
    },
    /listening on/,
  );
  const statements = await capturePatchStatements(database, `http://127.0.0.1:${capturePort}`, captureName, {
    cookie: `authjs.session-token=${sessionToken(1)}`,
    origin: `http://127.0.0.1:${capturePort}`,
    todoId: todoId(1, 0),
  });
  await stopChild(capture);
  console.log(`[bench] PATCH statement captured from the build:\n${statements.patch}`);

  const landing = await rawRequest(`${appUrl}/`, ACCEPT);
  const islandPath = /\/_server-islands\/UserMenu\?[^"]+/.exec(landing.text())![0].replaceAll('&amp;', '&');
  const barePort = await freePort();
  const bareScript = `
    const http = require('node:http');
    const body = require('node:fs').readFileSync(${JSON.stringify(path.join(ROOT, 'dist/client/index.html.br'))});
    http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'br', 'Content-Length': body.length });
      res.end(body);
    }).listen(${barePort}, '127.0.0.1', () => console.log('bare ready'));`;
  await startNode('bare', ['-e', bareScript], {}, /bare ready/);
  const bareUrl = `http://127.0.0.1:${barePort}`;

  const cookieFor = (user: number) => ({ cookie: `authjs.session-token=${sessionToken(user)}` });
  const origin = { origin: env.SITE_URL!, 'content-type': 'application/json' };
  // Requests take turns over the users: each is a different person, as real traffic would be.
  let turn = 0;
  const nextActiveUser = () => 1 + (turn++ % SEED.activeUsers);
  let posts = 0;
  const measures: Measure[] = [
    { title: 'GET / (landing)', path: '/', expectStatus: 200, limit: 'bare' },
    { title: 'GET /docs/getting-started', path: '/docs/getting-started', expectStatus: 200, limit: 'bare' },
    { title: 'island, anonymous', path: islandPath, expectStatus: 200, limit: 'bare' },
    {
      title: 'island, signed in',
      path: islandPath,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...cookieFor(nextActiveUser()) } }),
      expectStatus: 200,
      limit: 'pgbench',
    },
    {
      title: 'GET /todos, signed in (50 todos)',
      path: '/todos',
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...cookieFor(nextActiveUser()) } }),
      expectStatus: 200,
      limit: 'pgbench',
    },
    {
      title: 'POST /api/todos',
      method: 'POST',
      path: '/api/todos',
      // Spread over every seeded user, so no one reaches the per-user todo limit during the run.
      setupRequest: (request) => {
        const user = 1 + SEED.activeUsers + (posts++ % (SEED.users - SEED.activeUsers));
        return {
          ...request,
          headers: { ...request.headers, ...origin, ...cookieFor(user) },
          body: JSON.stringify({ content: `bench todo ${posts}` }),
        };
      },
      expectStatus: 201,
      limit: 'pgbench',
    },
    {
      title: 'PATCH /api/todos/:id',
      method: 'PATCH',
      path: '/api/todos/1',
      setupRequest: (request) => {
        const user = nextActiveUser();
        const id = todoId(user, Math.floor(Math.random() * SEED.todosPerUser));
        return {
          ...request,
          path: `/api/todos/${id}`,
          headers: { ...request.headers, ...origin, ...cookieFor(user) },
          body: JSON.stringify({ completed: Math.random() < 0.5 }),
        };
      },
      expectStatus: 200,
      limit: 'pgbench',
    },
    {
      // The same route refused before any database work: what Astro's request handling costs alone.
      title: 'PATCH without a session (401, no DB)',
      method: 'PATCH',
      path: `/api/todos/${todoId(1, 0)}`,
      headers: origin,
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ completed: true }) }),
      expectStatus: 401,
      limit: 'bare',
    },
  ];

  const byTitle = (title: string) => measures.find((m) => m.title === title)!;
  measures.push({ ...byTitle('GET / (landing)'), variant: 'no request log' });
  for (const variant of ['sirv + compression', 'adapter + compression']) {
    for (const title of ['GET / (landing)', 'GET /docs/getting-started', 'island, anonymous', 'island, signed in'])
      measures.push({ ...byTitle(title), variant });
  }
  for (const measure of measures) if (measure.variant) measure.title = `${measure.title} [${measure.variant}]`;

  // BENCH_ROUTES: a regular expression to measure only some routes (when profiling one).
  const selected = measures.filter((m) => new RegExp(process.env.BENCH_ROUTES ?? '').test(m.title));
  // Routes compared with the bare server first, so consecutive ones share a bare run.
  const ordered = [...selected.filter((m) => m.limit === 'bare'), ...selected.filter((m) => m.limit === 'pgbench')];
  const BARE_ROUTE = 'limit: bare node:http, landing bytes';
  const rows: Row[] = [];
  for (const connections of CONNECTIONS) {
    const bareRuns: Row[] = [];
    const measureBare = async () => {
      const run = toRow(
        BARE_ROUTE,
        connections,
        await cannon(bareUrl, { title: '', path: '/', expectStatus: 200, limit: 'bare' }, connections, DURATION),
        200,
      );
      bareRuns.push(run);
      return run;
    };
    // The machine's speed drifts (other tenants, CPU boost): a route compared with the bare server
    // is measured between two bare runs, and compared with their mean.
    let previousBare: Row | undefined;
    const routeRows: Row[] = [];
    for (const measure of ordered) {
      const before = measure.limit === 'bare' ? (previousBare ?? (await measureBare())) : undefined;
      const url = measure.variant ? variantUrls[measure.variant]! : appUrl;
      const pid = measure.variant ? variantPids[measure.variant] : app.pid;
      const memory = pid === undefined ? undefined : samplePeakRss(pid);
      await cannon(url, measure, connections, Math.min(2, DURATION)); // warm-up, not counted
      const row = toRow(
        measure.title,
        connections,
        await cannon(url, measure, connections, DURATION),
        measure.expectStatus,
      );
      row.peakRssBytes = memory?.stop();
      if (measure.variant) row.variant = measure.variant;
      previousBare = before ? await measureBare() : undefined;
      if (before && previousBare) row.limit = meanRow(BARE_ROUTE, [before, previousBare]);
      routeRows.push(row);
      console.log(
        `[bench] ${connections} connections: ${measure.title}: ${Math.round(row.reqPerSec)} req/s, errors ${row.errors}`,
      );
    }
    const bare = meanRow(BARE_ROUTE, bareRuns.length > 0 ? bareRuns : [await measureBare()]);
    const pg = await pgbench(statements, postgres.port, 'bench', connections, DURATION);
    const driver = await driverLimit(statements, databaseUrl, wsProxy, APP_POOL_MAX, connections, DURATION);
    for (const row of routeRows) {
      if (!row.limit) row.limit = pg;
      if (row.route.startsWith('PATCH /')) row.pathLimit = driver;
    }
    rows.push(...routeRows, bare, pg, driver);
  }

  // Live sync (scripts/bench-live.ts): 500 streams on a process of their own; BENCH_ROUTES=live runs only this.
  let live;
  if (new RegExp(process.env.BENCH_ROUTES ?? '').test('live streams')) {
    const livePort = await freePort();
    const liveApp = await startAppServer(
      'app-live',
      {
        ...env,
        LIVE_STREAMS_PER_USER: '1000',
        PORT: String(livePort),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(work, 'live'),
      },
      /listening on/,
    );
    live = await measureLiveStreams({
      url: `http://127.0.0.1:${livePort}`,
      pid: liveApp.pid!,
      cookie: cookieFor(1).cookie,
      origin: env.SITE_URL!,
      todoPath: `/api/todos/${todoId(1, 0)}`,
      seconds: DURATION,
    });
    console.log(`[bench] live streams: ${JSON.stringify(live)}`);
  }

  // The signed-in routes again, behind a proxy that adds network distance and counts round trips.
  const distanceRoutes = ordered.filter((m) => !m.variant && m.limit === 'pgbench');
  const { rows: distance, statementP50s } =
    distanceRoutes.length > 0
      ? await measureDistance(
          {
            startNode,
            freePort,
            appEnv: env,
            startAppServer,
            dataDir: path.join(work, 'data-distance'),
            postgresPort: postgres.port,
          },
          distanceRoutes,
          DISTANCE,
        )
      : { rows: [], statementP50s: [] };

  const todosCookie = cookieFor(1);
  const budgets = {
    landingHtmlCssBytes: await measureLandingBytes(appUrl),
    todosJavaScriptBytes: await measurePageScripts(appUrl, '/todos', todosCookie),
    landingJavaScriptBytes: await measurePageScripts(appUrl, '/', {}),
    docsJavaScriptBytes: await measurePageScripts(appUrl, '/docs/getting-started', {}),
  };
  const failures = [...printTable(rows, budgets).failures, ...printDistance(distance, statementP50s).failures];
  // With no load running: the main-thread cost of one request line (scripts/bench-log.ts).
  const logCostMicros = measureLogCost();
  for (const [name, micros] of Object.entries(logCostMicros))
    console.log(`info request log line, ${name}: ${micros.toFixed(2)} µs of main thread`);

  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    server: { nodeFlags: RUNTIME.nodeFlags, allocator: RUNTIME.allocator },
    durationSeconds: DURATION,
    floors: FLOORS,
    budgets: { ...budgets, limits: BUDGETS },
    logCostMicros,
    live,
    rows: rows.map(({ limit, pathLimit, ...row }) => ({
      ...row,
      limit: limit?.route,
      limitReqPerSec: limit?.reqPerSec,
      ratio: limit ? row.reqPerSec / limit.reqPerSec : undefined,
      ...(pathLimit ? { pathLimit: pathLimit.route, pathRatio: row.reqPerSec / pathLimit.reqPerSec } : {}),
    })),
    distance,
    distanceStatementP50s: statementP50s,
    failures,
  };
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`[bench] figures written to ${path.relative(process.cwd(), OUT)}`);

  await database.end();
  await resend.close();
  await Promise.all(children.map(stopChild));
  await postgres.stop();
  rmSync(work, { recursive: true, force: true });
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch(async (error: unknown) => {
  console.error('[bench] failed:', error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(2);
});
