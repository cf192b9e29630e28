/**
 * Production entry point (`npm start`): checks the configuration, migrates the database, then
 * serves the Astro build (static files and on-demand routes) from our own `node:http` server so
 * that shutdown is graceful: stop accepting, let in-flight requests finish, end the pool, exit 0.
 *
 * Runs outside the Vite bundle with Node's built-in TypeScript support; the bundled routes share
 * the database pool with it through `globalThis` (see src/lib/db.server.ts).
 */
import http from 'node:http';
import { ConfigError, loadConfig } from './lib/config.server.ts';
import { db } from './lib/db.server.ts';
import { describeTransport } from './lib/mail/index.server.ts';
import { appliedMigrations, defaultMigrationsDir, migrate } from './lib/migrate.server.ts';

const SHUTDOWN_GRACE_MS = 10_000;

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
  console.log(
    `[server] ${cfg.mode === 'local' ? 'local mode: embedded PGlite in ' + cfg.dataDir : 'Postgres via the Neon serverless driver'}`,
  );
  console.log(`[server] mail: ${describeTransport(cfg.mail)}`);

  await migrate(db, defaultMigrationsDir());
  console.log(`[server] database schema up to date (${(await appliedMigrations(db)).size} migrations)`);

  // The adapter's standalone entry would start its own server on import; we start ours instead.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const entry: { handler: http.RequestListener } = await import(
    new URL('../dist/server/entry.mjs', import.meta.url).href
  );

  const port = Number(process.env.PORT ?? 4321);
  const host = process.env.HOST ?? '127.0.0.1';
  const server = http.createServer(entry.handler);
  server.keepAliveTimeout = 65_000; // longer than common load balancer idle timeouts
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const shownHost = host === '127.0.0.1' || host === '::' || host === '0.0.0.0' ? 'localhost' : host;
  console.log(`[server] listening on http://${shownHost}:${port} (site URL ${cfg.siteUrl})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: finishing in-flight requests (up to ${SHUTDOWN_GRACE_MS / 1000} s)`);
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    timer.unref();
    await closed;
    await db.end();
    console.log('[server] stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('[server] failed to start:', error);
  process.exit(1);
});
