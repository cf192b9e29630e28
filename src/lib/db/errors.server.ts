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

/** Where the app tried to connect (the database slice of the configuration). */
export interface ConnectionTarget {
  databaseUrl: string | undefined;
  neonWsProxy: string | undefined;
}

const CREDENTIALS = /^28/; // invalid_authorization_specification, invalid_password
const NO_DATABASE = '3D000';

/** The driver's own words: the innermost message (the Neon driver wraps socket errors in events). */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (isDatabaseUnavailable(current) && current.cause !== undefined) current = current.cause;
  const message = (current as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : String(current);
}

/**
 * An operator's explanation of why the database could not be reached at startup: which server,
 * what failed, and the likely fix. Undefined when `error` is not about reaching the database (a
 * failing migration, say), so the caller reports it as it is. Never includes the password.
 */
export function explainConnectionFailure(error: unknown, target: ConnectionTarget): string | undefined {
  if (!target.databaseUrl) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  const sqlstate = typeof code === 'string' ? code : '';
  const unavailable = isDatabaseUnavailable(error);
  if (!unavailable && !CREDENTIALS.test(sqlstate) && sqlstate !== NO_DATABASE) return undefined;

  let url: URL | undefined;
  try {
    url = new URL(target.databaseUrl);
  } catch {
    // validated by the configuration; keep going with what we know
  }
  const host = url ? `${url.hostname}:${url.port || '5432'}` : 'the DATABASE_URL server';
  const database = url?.pathname.replace(/^\//, '') || 'postgres';
  const user = url ? decodeURIComponent(url.username) : '';
  const cause = rootMessage(error);
  const where = `the database ${database} at ${host}${user ? ` as ${user}` : ''}`;
  const neonHost = url?.hostname.endsWith('.neon.tech') ?? false;
  const proxy = target.neonWsProxy;

  let fix: string;
  if (CREDENTIALS.test(sqlstate)) {
    fix = `Postgres refused the credentials: check the user and password in DATABASE_URL${neonHost ? ' (Neon: copy the connection string again from the dashboard; resetting the password changes it)' : ''}.`;
  } else if (sqlstate === NO_DATABASE) {
    fix = `The server has no database named ${database}: check the name at the end of DATABASE_URL, or create it.`;
  } else if (unavailable && error.timedOut) {
    fix = neonHost
      ? 'No answer in time. A Neon compute waking from suspend usually answers within a few seconds: start again. If it keeps failing, check that the endpoint is not disabled in the Neon console and that this machine may connect out on port 443.'
      : 'No answer in time: check that the server is up and that nothing (a firewall, a VPN) drops the connection.';
  } else if (proxy && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(cause)) {
    // Through a proxy, Postgres being away shows as a closed connection; a refused one is the proxy.
    fix = `Nothing answers at NEON_WS_PROXY=${proxy}: start the WebSocket-to-TCP proxy there, or unset NEON_WS_PROXY to connect to Neon directly.`;
  } else if (proxy) {
    fix = `The WebSocket proxy at ${proxy} could not reach Postgres at ${host}: check that Postgres runs there and that host and port in DATABASE_URL are right.`;
  } else if (/ENOTFOUND|EAI_AGAIN/.test(cause)) {
    fix = `The host name ${url?.hostname ?? ''} does not resolve: check the host in DATABASE_URL (a typo, or a deleted Neon endpoint) and this machine's network.`;
  } else if (!neonHost) {
    fix =
      'The app talks to Postgres through the Neon serverless driver, which connects over a WebSocket on port 443 as Neon offers it. ' +
      'For a plain Postgres (on this machine, in Docker, at another provider) run a WebSocket-to-TCP proxy and set NEON_WS_PROXY=host:port/v1; ' +
      'to run without a database server, unset DATABASE_URL (local mode).';
  } else {
    fix =
      'Check that this machine may connect out on port 443 and that the endpoint exists and is enabled in the Neon console.';
  }
  return `Cannot reach ${where}: ${cause}. ${fix}`;
}
