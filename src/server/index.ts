/**
 * Production entry point (`npm start`): checks the configuration, migrates the database, then
 * serves the Astro build (static files and on-demand routes) from our own `node:http` server, so
 * that it can add what the adapter doesn't: health endpoints, one structured log line per request,
 * and a graceful shutdown (stop accepting, let in-flight requests finish, end the pool, exit 0).
 *
 * Compiled by esbuild into dist/server/serve.mjs at build time (src/build/server-entry.ts: running
 * the TypeScript directly would keep Node's type stripper loaded, 17 MiB), outside Astro's Vite
 * bundle; the bundled routes share the database pool with it through `globalThis` (see
 * src/lib/db/index.server.ts).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { config, ConfigError, loadConfig, recordServedPort, type AppConfig } from '#lib/config/config.server.ts';
import { db } from '#lib/db/index.server.ts';
import { DataDirLockedError } from '#lib/db/data-lock.server.ts';
import { explainConnectionFailure } from '#lib/db/errors.server.ts';
import { liveness, readiness, type Probe } from './health.ts';
import { log } from '#lib/log/log.server.ts';
import { describeTransport } from '#lib/mail/index.server.ts';
import {
  migrate,
  MigrationChangedError,
  migrationsAppliedByThisProcess,
  readMigrations,
} from '#lib/db/migrate.server.ts';
import { logRequest, requestId } from './request-log.ts';
import { answeredHostnames } from './host-check.ts';
import { securityHeadersFor } from '#lib/http/security-headers.ts';
import { createServingLayer } from './serving.ts';
import { adapterStandaloneHandler, type AstroEntry } from './serving-libraries.ts';
import { startPruneTimer } from '#lib/account/prune.server.ts';
import { liveHub, stopLive } from '#lib/live/index.server.ts';

// A stray rejection or exception is a bug to log with its stack, not a reason to drop every
// in-flight request of this instance.
process.on('unhandledRejection', (error) => log.error('[server] unhandled rejection', error));
process.on('uncaughtException', (error) => log.error('[server] uncaught exception', error));

async function main() {
  // Production runs this file compiled, as dist/server/serve.mjs (src/build/server-entry.ts), and
  // serves the build it sits in; run as TypeScript it would look for a build in src/.
  if (import.meta.url.endsWith('.ts')) {
    refuseToStart(
      "this is the server's source: build it (npm run build), then run the compiled server (npm run serve)",
    );
  }
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
  log.info(
    `[server] ${cfg.mode === 'local' ? 'local mode: embedded PGlite in ' + cfg.dataDir : 'Postgres via the Neon serverless driver'}`,
  );
  log.info(`[server] mail: ${describeTransport(cfg.mail, cfg.mailbox)}`);
  if (cfg.mode === 'local' && !cfg.mailbox) {
    log.warn(
      `[server] LOCAL_MODE_ON_NETWORK=1: local mode listens on ${cfg.host}; the dev mailbox is off (404), sign-in links appear in this log only`,
    );
  }

  // The build to serve: DIST_DIR (two builds side by side, e.g. blue/green), else the one this file
  // was compiled into (see the check at the start of main).
  const distDir = cfg.distDir ? pathToFileURL(cfg.distDir + path.sep) : new URL('../', import.meta.url);
  if (!existsSync(new URL('server/entry.mjs', distDir))) {
    refuseToStart(
      `there is no build in ${fileURLToPath(distDir)}: run npm run build first (npm start builds and serves)` +
        (cfg.distDir ? ', or point DIST_DIR at a build directory' : ''),
    );
  }

  const migrations = readMigrations(cfg.migrationsDir);
  await migrate(db, cfg.migrationsDir).catch((error: unknown) => refuseOnDatabaseError(error, cfg));
  log.info(`[server] ${describeSchema(migrations.length, migrationsAppliedByThisProcess())}`);

  // React (an external module of the build) picks its development build unless told otherwise,
  // which renders several times slower: this entry only ever serves the production build.
  process.env.NODE_ENV ??= 'production';
  // The adapter runs in middleware mode (astro.config.mjs): the entry starts no server of its own,
  // and its handler renders routes only, never looking for files on disk (ours come from memory).
  // A standalone build (an older dist/) would start its own server on import: not that either.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const entry: AstroEntry = await import(new URL('server/entry.mjs', distDir).href);

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
  const answerProbe = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pathname: string,
    headers: http.OutgoingHttpHeaders,
  ): Promise<boolean> => {
    const health = await probe(pathname);
    if (!health) return false;
    res.writeHead(health.status, {
      ...securityHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(health.body));
    return true;
  };

  // Build files from memory (compressed, cached, no Astro work); the rest through Astro. Probes
  // skip the Host check (orchestrators send the pod IP as Host); everything else goes through it.
  // Bench only: SERVING=stock measures the adapter's standalone handler (files from disk) instead.
  const astroHandler = cfg.serving === 'stock' ? adapterStandaloneHandler(entry) : entry.handler;
  const serve = createServingLayer(astroHandler, fileURLToPath(new URL('client/', distDir)), {
    securityHeaders,
    hostnames: answeredHostnames(cfg),
    renderConcurrency: cfg.renderConcurrency,
    // Bench only (scripts/bench.ts): the same layer built from libraries, for comparison.
    ...(cfg.serving === 'own' ? {} : { variant: cfg.serving }),
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

  const { host } = cfg;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, host, resolve);
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    refuseToStart(
      `port ${cfg.port} on ${host} is already in use (another server, or npm run dev?): stop it, or choose another port, e.g. PORT=${cfg.port + 1}`,
    );
  });
  // The port actually bound (PORT=0 picks a free one): local mode's links and redirects follow it.
  const port = (server.address() as AddressInfo).port;
  recordServedPort(port);
  const siteUrl = config().siteUrl;
  const shownHost = host === '127.0.0.1' || host === '::' || host === '0.0.0.0' ? 'localhost' : host;
  // Expired links, codes, sessions and rate-limit windows go hourly (also: npm run db:prune).
  startPruneTimer(db);
  // Live sync's change source (LISTEN while pages are open, or a poll), chosen now so the log says which.
  liveHub();
  log.info(`[server] listening on http://${shownHost}:${port} (site URL ${siteUrl})`);

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`[server] ${signal}: finishing in-flight requests (up to ${cfg.shutdownGraceMs / 1000} s)`);
    // close() stops accepting and ends idle keep-alive connections; busy ones end after their
    // response (Node answers them with `Connection: close`), or are cut when the grace runs out.
    const closed = new Promise((resolve) => server.close(resolve));
    // Open event streams never finish by themselves: end them first (their clients reconnect to
    // another instance), so they don't hold the shutdown for the whole grace period.
    await stopLive().catch((error: unknown) => log.error('[server] stopping live sync failed', error));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      log.warn('[server] grace period over: closing the remaining connections');
      server.closeAllConnections();
    }, cfg.shutdownGraceMs);
    timer.unref();
    await closed;
    await db.end().catch((error: unknown) => log.error('[server] closing the database failed', error));
    log.info('[server] stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Stops before serving, with a message saying what to do (no stack: nothing here is a bug). */
function refuseToStart(reason: string): never {
  // Plain text like the configuration errors above: a person reads this, not a log pipeline.
  console.error(`[server] ${reason}\nThe server did not start.`);
  process.exit(1);
}

/** Startup database failures an operator can fix, explained; anything else is a bug to show whole. */
function refuseOnDatabaseError(error: unknown, cfg: AppConfig): never {
  if (error instanceof DataDirLockedError || error instanceof MigrationChangedError) refuseToStart(error.message);
  const explained = explainConnectionFailure(error, cfg);
  if (explained) refuseToStart(explained);
  throw error;
}

/** What the migration step did, truthfully (local mode migrates as the database opens). */
function describeSchema(total: number, applied: string[]): string {
  if (applied.length === 0) return `database schema up to date (${total} migrations, none pending)`;
  if (applied.length === total) return `database schema created (${total} migrations applied to a new database)`;
  return `database schema migrated: applied ${applied.join(', ')} (${total} migrations in all)`;
}

main().catch((error: unknown) => {
  log.error('[server] failed to start', error);
  process.exit(1);
});
