/**
 * Telling "the database is unavailable" apart from "this query is wrong", so callers can answer
 * 503 (try again shortly) instead of 500, and so an outage is never mistaken for "not found".
 *
 * The brand is a global symbol rather than `instanceof`: the production entry (src/server/index.ts) and
 * the bundled routes load separate copies of this module but share one pool, so an error created
 * by one copy must be recognised by the other.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const BRAND = Symbol.for('astro-neon-authjs.db-unavailable');
const OUTAGE_STORE = Symbol.for('astro-neon-authjs.db-outage-store');

/** Thrown for connection failures, timeouts and server shutdowns; `cause` is the driver's error. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  readonly [BRAND] = true;
  /** The query ran out of time (retrying it would only add load). */
  readonly timedOut: boolean;
  constructor(cause: unknown, timedOut: boolean) {
    super(timedOut ? 'The database did not answer in time.' : 'The database is unavailable.', { cause });
    this.timedOut = timedOut;
  }
}

export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * SQLSTATE classes that mean "not now" rather than "not this": 08 connection exception,
 * 53 insufficient resources (too many connections), 57 operator intervention (shutdown, cancel,
 * statement timeout), 40001/40P01 are *not* here: serialization failures are the caller's to retry.
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;
const TIMEOUT = /timeout|timed out|57014/i;

/** Wraps connection-level failures in DatabaseUnavailableError; returns other errors unchanged. */
export function toDatabaseError(error: unknown): unknown {
  if (isDatabaseUnavailable(error)) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  // Postgres answered with an error about this statement (constraint, syntax, type): a real error.
  if (sqlstate && !UNAVAILABLE_SQLSTATE.test(sqlstate)) return error;
  // No SQLSTATE: the driver failed to reach Postgres (socket closed, refused, WebSocket error,
  // pool wait timeout, query read timeout). Some drivers reject with a non-Error event object.
  const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  return new DatabaseUnavailableError(error, sqlstate === '57014' || TIMEOUT.test(message));
}

/** True for an outage worth one more attempt on a fresh connection (not a timeout). */
export function isRetryableFailure(error: unknown): boolean {
  return isDatabaseUnavailable(error) && !error.timedOut;
}

type OutageState = { error?: DatabaseUnavailableError };
type GlobalWithStore = typeof globalThis & { [OUTAGE_STORE]?: AsyncLocalStorage<OutageState> };

function outageStore(): AsyncLocalStorage<OutageState> {
  const g = globalThis as GlobalWithStore;
  g[OUTAGE_STORE] ??= new AsyncLocalStorage<OutageState>();
  return g[OUTAGE_STORE];
}

/** Notes an outage for `surfaceDatabaseOutage` (if one is watching) and returns the error. */
export function recordOutage(error: unknown): unknown {
  if (isDatabaseUnavailable(error)) {
    const state = outageStore().getStore();
    if (state && !state.error) state.error = error;
  }
  return error;
}

/**
 * Runs `fn`; if a database query inside it failed for lack of a database, throws that failure
 * even when `fn` caught it. Auth.js catches adapter errors, logs them and answers "no session"
 * (clearing the cookie): wrapped in this, an outage surfaces as a 503 instead of signing people out.
 */
export async function surfaceDatabaseOutage<T>(fn: () => Promise<T>): Promise<T> {
  const state: OutageState = {};
  const result = await outageStore().run(state, fn);
  if (state.error) throw state.error;
  return result;
}
