/**
 * Production entry point (`npm start`): checks the configuration, migrates the database, then
 * serves the Astro build (static files and on-demand routes) from our own `node:http` server, so
 * that it can add what the adapter doesn't: health endpoints, one structured log line per request,
 * and a graceful shutdown (stop accepting, let in-flight requests finish, end the pool, exit 0).
 *
 * Runs outside the Vite bundle with Node's built-in TypeScript support; the bundled routes share
 * the database pool with it through `globalThis` (see src/lib/db/index.server.ts).
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '#lib/config/config.server.ts';
import { db } from '#lib/db/index.server.ts';
import { liveness, readiness, type Probe } from './health.ts';
import { log } from '#lib/log/log.server.ts';
import { describeTransport } from '#lib/mail/index.server.ts';
import { defaultMigrationsDir, migrate, readMigrations } from '#lib/db/migrate.server.ts';
import { logRequest, requestId } from './request-log.ts';
import { answeredHostnames } from './host-check.ts';
import { securityHeadersFor } from '#lib/http/security-headers.ts';
import { createServingLayer } from './serving.ts';
import { startPruneTimer } from '#lib/account/prune.server.ts';

/**
 * In-flight requests get this long after SIGTERM/SIGINT before their connections are cut
 * (SHUTDOWN_GRACE_MS; keep it below the orchestrator's kill timeout, e.g. Kubernetes' 30 s).
 */
const SHUTDOWN_GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS) > 0 ? Number(process.env.SHUTDOWN_GRACE_MS) : 10_000;

// A stray rejection or exception is a bug to log with its stack, not a reason to drop every
// in-flight request of this instance.
process.on('unhandledRejection', (error) => log.error('[server] unhandled rejection', error));
process.on('uncaughtException', (error) => log.error('[server] uncaught exception', error));

async function main() {
  let cfg;
  try {
    cfg = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[server] ${error.message}\nThe server did not start. See the configuration table in README.md.`);
      process.exit(1);
    }
    throw error;
  }
  log.info(`[server] ${cfg.mode === 'local' ? 'local mode: embedded PGlite in ' + cfg.dataDir : 'Postgres via the Neon serverless driver'}`);
  log.info(`[server] mail: ${describeTransport(cfg.mail, cfg.mailbox)}`);
  if (cfg.mode === 'local' && !cfg.mailbox) {
    log.warn(`[server] LOCAL_MODE_ON_NETWORK=1: local mode listens on ${cfg.host}; the dev mailbox is off (404), sign-in links appear in this log only`);
  }

  const migrationsDir = defaultMigrationsDir();
  const migrations = readMigrations(migrationsDir);
  const applied = await migrate(db, migrationsDir);
  log.info(`[server] database schema up to date (${migrations.length} migrations, ${applied.length} applied now)`);

  // The build to serve: dist/ beside src/, or DIST_DIR (two builds side by side, e.g. blue/green).
  const distDir = process.env.DIST_DIR
    ? pathToFileURL(path.resolve(process.env.DIST_DIR) + path.sep)
    : new URL('../../dist/', import.meta.url);
  // The adapter's standalone entry would start its own server on import; we start ours instead.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  // React (an external module of the build) picks its development build unless told otherwise,
  // which renders several times slower: this entry only ever serves the production build.
  process.env.NODE_ENV ??= 'production';
  const entry: { handler: http.RequestListener } = await import(new URL('server/entry.mjs', distDir).href);

  let stopping = false;
  const probe = async (pathname: string): Promise<Probe | undefined> => {
    if (pathname === '/healthz') return liveness();
    if (pathname === '/readyz') {
      if (stopping) return { status: 503, body: { status: 'draining' } };
      return readiness(db, migrations).catch((error: unknown) => {
        log.error('[server] readiness check failed', error);
        return { status: 503, body: { status: 'unavailable', reason: 'database error' } } satisfies Probe;
      });
    }
    return undefined;
  };
  const securityHeaders = securityHeadersFor(cfg.siteUrl);
  const answerProbe = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string, headers: http.OutgoingHttpHeaders): Promise<boolean> => {
    const health = await probe(pathname);
    if (!health) return false;
    res.writeHead(health.status, { ...securityHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(health.body));
    return true;
  };

  // Build files from memory (compressed, cached, no Astro work); the rest through Astro. Probes
  // skip the Host check (orchestrators send the pod IP as Host); everything else goes through it.
  const serve = createServingLayer(entry.handler, fileURLToPath(new URL('client/', distDir)), {
    securityHeaders,
    hostnames: answeredHostnames(cfg),
    // Bench only (scripts/bench.ts): the same layer built from libraries, for comparison.
    ...(process.env.SERVING === 'sirv' || process.env.SERVING === 'stock' ? { variant: process.env.SERVING } : {}),
  });
  // Synchronous for everything but the health probes: a page from memory takes no extra turn of
  // the event loop.
  const server = http.createServer((req, res) => {
    const id = requestId(req);
    // Routes (and their error logs) see the same id the log line and the response carry.
    req.headers['x-request-id'] = id;
    const headers = { 'X-Request-Id': id };
    logRequest(req, res, id);

    const url = req.url ?? '/';
    if ((req.method === 'GET' || req.method === 'HEAD') && (url.startsWith('/healthz') || url.startsWith('/readyz'))) {
      answerProbe(req, res, url.split('?')[0]!, headers)
        .then((answered) => answered || serve(req, res, headers))
        .catch((error: unknown) => {
          log.error('[server] health probe failed', error);
          if (!res.headersSent) res.writeHead(500, { ...securityHeaders, ...headers }).end();
        });
      return;
    }
    serve(req, res, headers);
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancer idle timeouts
  server.headersTimeout = 20_000; // a client must send its headers within this
  server.requestTimeout = 60_000; // ...and its whole request within this (slow-upload bound)

  const { port, host } = cfg;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const shownHost = host === '127.0.0.1' || host === '::' || host === '0.0.0.0' ? 'localhost' : host;
  // Expired links, codes, sessions and rate-limit windows go hourly (also: npm run db:prune).
  startPruneTimer(db);
  log.info(`[server] listening on http://${shownHost}:${port} (site URL ${cfg.siteUrl})`);

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`[server] ${signal}: finishing in-flight requests (up to ${SHUTDOWN_GRACE_MS / 1000} s)`);
    // close() stops accepting and ends idle keep-alive connections; busy ones end after their
    // response (Node answers them with `Connection: close`), or are cut when the grace runs out.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      log.warn('[server] grace period over: closing the remaining connections');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    await closed;
    await db.end().catch((error: unknown) => log.error('[server] closing the database failed', error));
    log.info('[server] stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  log.error('[server] failed to start', error);
  process.exit(1);
});
