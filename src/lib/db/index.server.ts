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
import type { PGlite, Results } from '@electric-sql/pglite';
import { config } from './config.server.ts';
import { log } from './log.server.ts';
import { makePrivateDir, makeTreePrivate, privatePgliteFs } from './private-data.server.ts';
import { defaultMigrationsDir, migrate } from './migrate.server.ts';
import { isRetryableFailure, recordOutage, toDatabaseError } from './db-errors.server.ts';

export { DatabaseUnavailableError, isDatabaseUnavailable, surfaceDatabaseOutage } from './db-errors.server.ts';

/**
 * Bounds on how much work a slow or absent database can pile up (Postgres mode):
 * - at most `poolMax` connections per process (DATABASE_POOL_MAX, default 10);
 * - a request waits at most CONNECT_TIMEOUT_MS for a free connection or a new one;
 * - a query is abandoned after QUERY_TIMEOUT_MS (the connection is discarded).
 * The query timeout is enforced by the driver, not sent as a `statement_timeout` startup
 * parameter: Neon's pooled endpoint (PgBouncer) refuses that parameter. To also stop the
 * statement on the server, set it on the role: `ALTER ROLE app SET statement_timeout = '5s'`.
 */
export const QUERY_TIMEOUT_MS = 5_000;
export const CONNECT_TIMEOUT_MS = 5_000;
/** Migrations may legitimately run long (an index on a big table). */
const SCRIPT_TIMEOUT_MS = 10 * 60_000;

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
  /** Overrides QUERY_TIMEOUT_MS / CONNECT_TIMEOUT_MS (tests use short ones). */
  queryTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/**
 * Reads that may run twice without harm. Only these are retried after a connection failure: a
 * failed write may have committed before the connection dropped, so it is never sent again.
 */
function isIdempotentRead(text: string): boolean {
  return /^\s*select\b/i.test(text) && !/\bfor\s+(update|share)\b/i.test(text);
}

/** Opens a database with the given options (tests use this directly; the app uses `db()`). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openNeon(options.url, options) : openPglite(options.dataDir ?? 'memory://');
}

async function openNeon(url: string, options: DatabaseOptions): Promise<Database> {
  const { Pool, neonConfig } = await import('@neondatabase/serverless');
  const { CoalescingWebSocket } = await import('./coalescing-websocket.server.ts');
  // Writes are joined by the socket itself, without the driver's 1 ms timer (see its module).
  neonConfig.webSocketConstructor = CoalescingWebSocket;
  neonConfig.coalesceWrites = false;
  if (options.wsProxy) {
    const proxy = options.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    // A local proxy speaks plain ws:// to a Postgres without TLS.
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const queryTimeout = options.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
  const pool = new Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    query_timeout: queryTimeout,
  });
  // An idle client dropped by the server (Neon scales to zero, a restart) is removed from the pool
  // and replaced on the next query; the event must be handled or it would crash the process.
  pool.on('error', (error: Error) => log.warn('[db] idle connection closed by the server', { message: error.message }));

  type Runner = { query: (config: { text: string; values?: unknown[]; query_timeout?: number }) => Promise<{ rows: unknown[]; rowCount: number | null }> };
  const run = async <R,>(client: Runner, text: string, params?: unknown[], timeout = queryTimeout) => {
    try {
      const result = await client.query({ text, values: params ?? [], query_timeout: timeout });
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw recordOutage(toDatabaseError(error));
    }
  };
  return {
    kind: 'neon',
    async query(text, params) {
      try {
        return await run(pool as unknown as Runner, text, params);
      } catch (error) {
        // A connection that died while idle in the pool fails the first query sent on it: one
        // retry on a fresh connection hides that, but only for reads, and never after a timeout.
        if (!isIdempotentRead(text) || !isRetryableFailure(error)) throw error;
        return run(pool as unknown as Runner, text, params);
      }
    },
    exec: async (sql) => {
      await run(pool as unknown as Runner, sql, undefined, SCRIPT_TIMEOUT_MS);
    },
    async transaction(fn) {
      const client = await pool.connect().catch((error: unknown) => {
        throw recordOutage(toDatabaseError(error));
      });
      const tx = client as unknown as Runner;
      let broken: unknown;
      try {
        await run(tx, 'BEGIN');
        const result = await fn({
          query: (text, params) => run(tx, text, params),
          exec: async (sql) => {
            await run(tx, sql, undefined, SCRIPT_TIMEOUT_MS);
          },
        });
        await run(tx, 'COMMIT');
        return result;
      } catch (error) {
        await run(tx, 'ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      } finally {
        // A connection that failed mid-transaction is discarded, not handed to the next request.
        client.release(broken instanceof Error ? broken : undefined);
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
  let pglite: PGlite;
  if (dataDir.startsWith('memory://')) pglite = await PGlite.create(dataDir);
  else {
    // The owner's only (the WAL holds live sessions): see private-data.server.ts for why PGlite
    // needs help, and for the repair of directories older versions left world-writable.
    makePrivateDir(dataDir);
    makeTreePrivate(dataDir);
    pglite = await PGlite.create({ fs: await privatePgliteFs(dataDir) });
  }
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

/**
 * The configured database for command-line tools (migrations, admin). Needs only DATABASE_URL (or
 * DATA_DIR in local mode), not the web server's secret and mail settings, so a release step can
 * run with database credentials alone. Local mode migrates as it opens, like the server does.
 */
export async function openDatabaseFromEnv(env: Record<string, string | undefined> = process.env): Promise<Database> {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// or postgresql:// connection string');
    return openDatabase({ url, wsProxy: env.NEON_WS_PROXY?.trim() || undefined, poolMax: 2 });
  }
  return openLocalDatabase(path.resolve(env.DATA_DIR?.trim() || '.data'));
}

/** Local mode: PGlite under `<dataRoot>/pglite`, migrated; the data root is the owner's only. */
async function openLocalDatabase(dataRoot: string): Promise<Database> {
  makePrivateDir(dataRoot);
  const database = await openDatabase({ dataDir: path.join(dataRoot, 'pglite') });
  await migrate(database, defaultMigrationsDir());
  return database;
}

const GLOBAL_KEY = Symbol.for('astro-neon-authjs.db');
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };

/** Opens the process-wide database from the configuration (local mode also migrates it). */
async function openFromConfig(): Promise<Database> {
  const cfg = config();
  if (cfg.mode === 'remote') {
    return openDatabase({ url: cfg.databaseUrl, wsProxy: cfg.neonWsProxy, poolMax: cfg.poolMax });
  }
  return openLocalDatabase(cfg.dataDir);
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
