/**
 * The database front door. Everything that talks to Postgres goes through `db` (or a database
 * from `openDatabase` / `openDatabaseFromEnv` in tests and command-line tools).
 *
 * - `DATABASE_URL` set: a Neon serverless `Pool` over WebSockets (neon.server.ts).
 * - `DATABASE_URL` unset (local mode): embedded PGlite persisted under the data directory,
 *   migrated as it opens (pglite.server.ts).
 *
 * One pool per process: the instance lives on `globalThis`, so the production entry point (which
 * runs outside the Vite bundle) and the bundled routes share it, and the entry point can end it on
 * shutdown. Nothing connects on import; the first query opens the connection, which keeps
 * prerendering at build time free of database work.
 */
import { config, loadDatabaseConfig, type DatabaseConfig } from '#lib/config/config.server.ts';
import { openNeon } from './neon.server.ts';
import { openLocalDatabase, openPglite } from './pglite.server.ts';
import type { Database, DatabaseOptions } from './types.ts';

export type { Database, DatabaseOptions, Queryable } from './types.ts';

/** Opens a database with the given options (tests use this directly; the app uses `db()`). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openNeon(options.url, options) : openPglite(options.dataDir ?? 'memory://');
}

/**
 * The configured database for command-line tools (migrations, admin): the database slice of the
 * configuration (DATABASE_URL, or DATA_DIR in local mode), not the web server's secret and mail
 * settings, so a release step can run with database credentials alone. At most 2 connections.
 * Local mode migrates as it opens, like the server does.
 */
export async function openDatabaseFromEnv(cfg: DatabaseConfig = loadDatabaseConfig()): Promise<Database> {
  if (cfg.mode === 'remote')
    return openDatabase({ url: cfg.databaseUrl, wsProxy: cfg.neonWsProxy, poolMax: Math.min(cfg.poolMax, 2) });
  return openLocalDatabase(cfg.dataDir, cfg.migrationsDir);
}

const GLOBAL_KEY = Symbol.for('astro-neon-authjs.db');
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };

/** Opens the process-wide database from the configuration (local mode also migrates it). */
async function openFromConfig(): Promise<Database> {
  const cfg = config();
  if (cfg.mode === 'remote') {
    return openDatabase({ url: cfg.databaseUrl, wsProxy: cfg.neonWsProxy, poolMax: cfg.poolMax });
  }
  return openLocalDatabase(cfg.dataDir, cfg.migrationsDir);
}

function shared(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  g[GLOBAL_KEY] ??= openFromConfig().catch((error: unknown) => {
    // Let the next request try again (the database may come back) instead of caching the failure.
    delete g[GLOBAL_KEY];
    throw error;
  });
  return g[GLOBAL_KEY];
}

/** The process-wide database. Opens lazily: nothing connects until the first query. */
export const db: Database = {
  get kind() {
    return config().mode === 'remote' ? 'neon' : 'pglite';
  },
  query: async (text, params) => (await shared()).query(text, params),
  exec: async (sql) => (await shared()).exec(sql),
  transaction: async (fn) => (await shared()).transaction(fn),
  async listen(channel, onMessage) {
    const database = await shared();
    if (!database.listen) throw new Error('LISTEN through the pool is local mode only (see src/lib/live/)');
    return database.listen(channel, onMessage);
  },
  async end() {
    const g = globalThis as GlobalWithDb;
    const pending = g[GLOBAL_KEY];
    delete g[GLOBAL_KEY];
    if (pending) await (await pending).end();
  },
};
