/**
 * Postgres mode: a Neon serverless `Pool` over WebSockets (optionally through a local
 * WebSocket-to-TCP proxy, so the same driver talks to a plain Postgres in tests and development).
 * The driver is imported when the first pool is opened, never on import of this module.
 */
import { log } from '#lib/log/log.server.ts';
import { isRetryableFailure, recordOutage, toDatabaseError } from './errors.server.ts';
import type { Database, DatabaseOptions } from './types.ts';

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

/**
 * Reads that may run twice without harm. Only these are retried after a connection failure: a
 * failed write may have committed before the connection dropped, so it is never sent again.
 */
function isIdempotentRead(text: string): boolean {
  return /^\s*select\b/i.test(text) && !/\bfor\s+(update|share)\b/i.test(text);
}

/** Distinct statement texts that get a name (per pool); any beyond run unnamed, as before. */
const MAX_NAMED_STATEMENTS = 500;

/**
 * Names for parameterized statements, so each connection parses and plans a statement once and
 * afterwards only binds and runs it. The session statement every signed-in request starts with
 * (src/lib/auth/session-owner.server.ts) takes Postgres longer to plan than to run (EXPLAIN
 * ANALYZE: 0.24 ms planning, 0.14 ms execution), and its 2 KB of text no longer crosses the
 * network on every request. One name per text, for the life of the pool (the driver refuses a name
 * reused for another text); bounded, so generated texts can't fill the server's memory. Neon's
 * pooled endpoint (PgBouncer) supports protocol-level prepared statements.
 */
function statementNamer(max = MAX_NAMED_STATEMENTS): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined && names.size < max) {
      name = `app_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
}

/**
 * The Neon driver with its process-wide settings applied: our WebSocket, and the local proxy when
 * there is one. The pool below and live sync's LISTEN connection (src/lib/live/) both use it.
 */
export async function neonDriver(wsProxy: string | undefined) {
  const driver = await import('@neondatabase/serverless');
  const { CoalescingWebSocket } = await import('./coalescing-websocket.server.ts');
  const { neonConfig } = driver;
  // Writes are joined by the socket itself, without the driver's 1 ms timer (see its module).
  neonConfig.webSocketConstructor = CoalescingWebSocket;
  neonConfig.coalesceWrites = false;
  if (wsProxy) {
    neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
    // A local proxy speaks plain ws:// to a Postgres without TLS.
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  return driver;
}

export async function openNeon(url: string, options: DatabaseOptions): Promise<Database> {
  const { Pool } = await neonDriver(options.wsProxy);
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

  type Runner = {
    query: (config: {
      text: string;
      name?: string;
      values?: unknown[];
      query_timeout?: number;
    }) => Promise<{ rows: unknown[]; rowCount: number | null }>;
  };
  const nameOf = statementNamer();
  const run = async <R>(client: Runner, text: string, params?: unknown[], timeout = queryTimeout) => {
    try {
      // Only statements with parameters: they use the extended protocol already, while a text
      // without any may be a script of several statements, which can't be prepared.
      const name = params && params.length > 0 ? nameOf(text) : undefined;
      const result = await client.query({ text, name, values: params ?? [], query_timeout: timeout });
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
