/**
 * The database interface every data module codes against (Neon pool or PGlite alike). Types only:
 * importing it loads no driver.
 */
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
  /**
   * Local mode only (PGlite's own LISTEN): calls `onMessage` with each NOTIFY payload on `channel`;
   * resolves to the unsubscribe. Postgres mode listens on a connection of its own (src/lib/live/).
   */
  listen?(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
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
