/**
 * Where the hub learns about changes: one source per process, chosen from the configuration.
 * - local mode: PGlite's own LISTEN (the same in-process database the routes write to);
 * - Postgres: one LISTEN connection of the Neon driver's `Client` (WebSocket) on
 *   DATABASE_URL_DIRECT, or on DATABASE_URL when that is not a Neon pooler, held while streams
 *   are open (and a minute after: see IDLE_MS);
 * - a Neon pooler (PgBouncer can't LISTEN) without DATABASE_URL_DIRECT: a poll, one query per
 *   process per `pollMs` about the users with open streams, none while no stream is open.
 * The messages come from migration 0010's triggers: `todo_changes` ("<user id>:<kind>") and
 * `session_ends` ("<user id>"). A dropped LISTEN connection is reopened with backoff; while it is
 * down the hub knows it may miss changes, and tells every stream to refetch once it is back.
 */
import type { Database } from '#lib/db/index.server.ts';
import { neonDriver } from '#lib/db/neon.server.ts';
import { log } from '#lib/log/log.server.ts';
import type { LiveHub } from './hub.server.ts';

export type ChangeSource =
  | { kind: 'pglite' }
  | { kind: 'listen'; url: string; wsProxy: string | undefined; direct: boolean }
  | { kind: 'poll'; pollMs: number };

/** Which source a configuration gets (exported for the log line and the unit test). */
export function chooseSource(options: {
  mode: 'local' | 'remote';
  databaseUrl: string | undefined;
  directUrl: string | undefined;
  wsProxy: string | undefined;
  pollMs: number;
}): ChangeSource {
  if (options.mode === 'local' || !options.databaseUrl) return { kind: 'pglite' };
  if (options.directUrl) return { kind: 'listen', url: options.directUrl, wsProxy: options.wsProxy, direct: true };
  if (isNeonPooler(options.databaseUrl)) return { kind: 'poll', pollMs: options.pollMs };
  return { kind: 'listen', url: options.databaseUrl, wsProxy: options.wsProxy, direct: false };
}

const isNeonPooler = (url: string): boolean => {
  try {
    return new URL(url).hostname.includes('-pooler.');
  } catch {
    return false;
  }
};

/** The log line at start: which way changes arrive. */
export function describeSource(source: ChangeSource): string {
  switch (source.kind) {
    case 'pglite':
      return 'live sync: LISTEN on the embedded database';
    case 'listen':
      return `live sync: LISTEN on ${source.direct ? 'DATABASE_URL_DIRECT' : 'DATABASE_URL'} while pages are open`;
    case 'poll':
      return `live sync: DATABASE_URL is a Neon pooler, which can't LISTEN, and DATABASE_URL_DIRECT is unset: polling every ${source.pollMs} ms while streams are open`;
  }
}

/** Routes one NOTIFY to the hub. */
export function deliver(hub: LiveHub, channel: string, payload: string): void {
  const [user, kind = 'change'] = payload.split(':');
  const userId = Number(user);
  if (!Number.isSafeInteger(userId)) return;
  if (channel === 'todo_changes') hub.changed(userId, kind);
  else if (channel === 'session_ends') hub.sessionEnded(userId);
}

const CHANNELS = ['todo_changes', 'session_ends'] as const;

/** Starts feeding `hub`; resolves to the function that stops it. */
export async function startSource(
  source: ChangeSource,
  hub: LiveHub,
  database: Database,
): Promise<() => Promise<void>> {
  if (source.kind === 'pglite') {
    const stops = await Promise.all(
      CHANNELS.map((channel) => database.listen!(channel, (payload) => deliver(hub, channel, payload))),
    );
    hub.sourceUp();
    return async () => {
      await Promise.all(stops.map((stop) => stop()));
    };
  }
  if (source.kind === 'poll') return startPoll(source.pollMs, hub, database);
  return startListening(source, hub);
}

const BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000, 10_000];
/**
 * The LISTEN connection is held while streams are open, and this long after the last one closes
 * (a page reload or a move between pages keeps it). Not for ever: Neon suspends a compute that ran
 * no query for 5 minutes and closes its connections, and reopening a LISTEN connection then would
 * wake it again, so an idle server would keep its database awake.
 */
const IDLE_MS = 60_000;

function startListening(source: Extract<ChangeSource, { kind: 'listen' }>, hub: LiveHub): () => Promise<void> {
  let stopped = false;
  let attempt = 0;
  let current: { end(): Promise<void> } | null = null;
  let connecting = false;
  let retry: NodeJS.Timeout | undefined;
  let idle: NodeJS.Timeout | undefined;
  let keepUntil = 0;
  const wanted = () => !stopped && (hub.size > 0 || Date.now() < keepUntil);

  const reconnectLater = () => {
    hub.sourceDown();
    if (!wanted() || retry) return;
    const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]!;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    retry.unref();
  };

  const connect = async () => {
    if (current || connecting || !wanted()) return;
    connecting = true;
    const { Client } = await neonDriver(source.wsProxy);
    const client = new Client({ connectionString: source.url });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (current === client) current = null;
      if (wanted()) log.warn('[live] LISTEN connection lost; reconnecting', { message: error?.message });
      client.end().catch(() => {});
      reconnectLater();
    };
    client.on('notification', (message) => deliver(hub, message.channel, message.payload ?? ''));
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(CHANNELS.map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (error) {
      connecting = false;
      onLost(error as Error);
      return;
    }
    connecting = false;
    if (lost) return;
    if (!wanted()) {
      lost = true;
      await client.end().catch(() => {});
      return;
    }
    current = client;
    attempt = 0;
    hub.sourceUp();
  };

  const disconnectIfIdle = () => {
    if (wanted() || !current) return;
    const client = current;
    current = null;
    hub.sourceDown();
    void client.end().catch(() => {});
  };

  hub.watchActivity((active) => {
    clearTimeout(idle);
    if (active) {
      void connect();
      return;
    }
    keepUntil = Date.now() + IDLE_MS;
    idle = setTimeout(disconnectIfIdle, IDLE_MS + 10);
    idle.unref();
  });
  return async () => {
    stopped = true;
    clearTimeout(retry);
    clearTimeout(idle);
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}

/**
 * Without LISTEN: a fingerprint of each watched user's todo rows (count and a hash of every row as
 * text, so any column counts, soft-deletion included), one query for all of them per interval.
 */
function startPoll(pollMs: number, hub: LiveHub, database: Database): () => Promise<void> {
  hub.coverNothing();
  const seen = new Map<number, string>();
  let busy = false;
  const poll = async () => {
    const users = hub.users();
    for (const userId of seen.keys()) if (!users.includes(userId)) seen.delete(userId);
    if (users.length === 0 || busy) return;
    busy = true;
    try {
      const { rows } = await database.query<{ user_id: number; print: string }>(
        `SELECT u.id AS user_id, count(t.id) || ':' || coalesce(sum(hashtext(t::text)), 0) AS print
           FROM unnest($1::int[]) AS u(id) LEFT JOIN todos t ON t.user_id = u.id
          GROUP BY u.id`,
        [users],
      );
      for (const { user_id: userId, print } of rows) {
        const before = seen.get(userId);
        seen.set(userId, print);
        if (before !== undefined && before !== print) hub.changed(userId, 'change');
      }
    } catch (error) {
      log.warn('[live] change poll failed; trying again', { message: (error as Error).message });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), pollMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    return Promise.resolve();
  };
}
