/**
 * The one database module. Everything that talks to Postgres goes through `db()`.
 *
 * - `DATABASE_URL` set: a Neon serverless `Pool` over WebSockets (optionally through a local
 *   WebSocket-to-TCP proxy, so the same driver talks to a plain Postgres in tests and development).
 * - `DATABASE_URL` unset (local mode): embedded PGlite persisted under the data directory.
 *
 * One pool per process: the instance lives on `globalThis`, so the production entry point (which
 * runs outside the Vite bundle) and the bundled routes share it, and the entry point can end it on
 * shutdown. Nothing connects on import; the first query opens the connection, which keeps
 * prerendering at build time free of database work.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { PGlite, Results } from '@electric-sql/pglite';
import { config } from './config.server.ts';
import { defaultMigrationsDir, migrate } from './migrate.server.ts';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** What every data module and `@auth/pg-adapter` need: parameterized queries. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly kind: 'neon' | 'pglite';
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable & Pick<Database, 'exec'>) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres connection string; absent means embedded PGlite. */
  url?: string | undefined;
  /** `host:port/path` of a WebSocket proxy for the Neon driver (local Postgres). */
  wsProxy?: string | undefined;
  poolMax?: number;
  /** PGlite data directory; `memory://` for a throwaway in-memory database. */
  dataDir?: string;
}

/** Opens a database with the given options (tests use this directly; the app uses `db()`). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openNeon(options.url, options) : openPglite(options.dataDir ?? 'memory://');
}

async function openNeon(url: string, options: DatabaseOptions): Promise<Database> {
  const { Pool, neonConfig } = await import('@neondatabase/serverless');
  const { default: WebSocket } = await import('ws');
  neonConfig.webSocketConstructor = WebSocket;
  if (options.wsProxy) {
    const proxy = options.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    // A local proxy speaks plain ws:// to a Postgres without TLS.
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: url, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 });
  // An idle client dropped by the server (Neon scales to zero) must not crash the process.
  pool.on('error', (error: Error) => console.error('[db] idle client error:', error.message));

  const run = async <R,>(client: { query: typeof pool.query }, text: string, params?: unknown[]) => {
    const result = await client.query(text, params as unknown[]);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: 'neon',
    query: (text, params) => run(pool, text, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (text, params) => run(client as never, text, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
  };
}

/**
 * PGlite reports `affectedRows` (0 for a SELECT); `@auth/pg-adapter` decides "found" from
 * `rowCount`, so a row-returning statement must count its rows or every session lookup misses.
 */
export function toQueryResult<R>(result: Results<R>): QueryResult<R> {
  const returnsRows = result.fields.length > 0;
  return { rows: result.rows, rowCount: returnsRows ? result.rows.length : (result.affectedRows ?? 0) };
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite: PGlite = await PGlite.create(dataDir);
  // PGlite is one connection; its transaction() holds a lock so other queries wait until it ends.
  return {
    kind: 'pglite',
    query: async (text, params) => toQueryResult(await pglite.query(text, params)),
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: async (text, params) => toQueryResult(await tx.query(text, params)),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    end: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

const GLOBAL_KEY = Symbol.for('astro-neon-authjs.db');
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };

/** Opens the process-wide database from the configuration (local mode also migrates it). */
async function openFromConfig(): Promise<Database> {
  const cfg = config();
  if (cfg.mode === 'remote') {
    return openDatabase({ url: cfg.databaseUrl, wsProxy: cfg.neonWsProxy, poolMax: cfg.poolMax });
  }
  const database = await openDatabase({ dataDir: path.join(cfg.dataDir, 'pglite') });
  await migrate(database, defaultMigrationsDir());
  return database;
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
  async end() {
    const g = globalThis as GlobalWithDb;
    const pending = g[GLOBAL_KEY];
    delete g[GLOBAL_KEY];
    if (pending) await (await pending).end();
  },
};
