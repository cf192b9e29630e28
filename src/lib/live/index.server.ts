/**
 * The process-wide live-sync hub: created on first use (the server entry starts it at boot, so
 * its log line says how changes arrive; `astro dev` starts it with the first stream), shared
 * through `globalThis` like the database, because the entry runs outside the bundle.
 */
import { config } from '#lib/config/config.server.ts';
import { db } from '#lib/db/index.server.ts';
import { log } from '#lib/log/log.server.ts';
import { chooseSource, describeSource, startSource } from './changes.server.ts';
import { LiveHub } from './hub.server.ts';

interface Live {
  hub: LiveHub;
  stop: Promise<() => Promise<void>>;
}

const GLOBAL_KEY = Symbol.for('astro-neon-authjs.live');
type GlobalWithLive = typeof globalThis & { [GLOBAL_KEY]?: Live };

/** Of these session token hashes, the live ones: one statement for every open stream of the process. */
async function liveSessions(tokenHashes: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ token: string }>(
    `SELECT "sessionToken" AS token FROM sessions WHERE "sessionToken" = ANY($1::text[]) AND expires >= $2::timestamptz`,
    [tokenHashes, new Date().toISOString()],
  );
  return new Set(rows.map((row) => row.token));
}

/** The hub, started (with its change source) on first call. */
export function liveHub(): LiveHub {
  const g = globalThis as GlobalWithLive;
  if (g[GLOBAL_KEY]) return g[GLOBAL_KEY].hub;
  const cfg = config();
  const hub = new LiveHub(cfg.live, liveSessions);
  const source = chooseSource({
    mode: cfg.mode,
    databaseUrl: cfg.databaseUrl,
    directUrl: cfg.live.directUrl,
    wsProxy: cfg.neonWsProxy,
    pollMs: cfg.live.pollMs,
  });
  log.info(`[live] ${describeSource(source)}`);
  const stop = startSource(source, hub, db).catch((error: unknown) => {
    log.error('[live] the change source did not start: pages update on focus only', error);
    return () => Promise.resolve();
  });
  g[GLOBAL_KEY] = { hub, stop };
  return hub;
}

/** Shutdown: every stream ends (clients reconnect elsewhere) and the LISTEN connection closes. */
export async function stopLive(): Promise<void> {
  const g = globalThis as GlobalWithLive;
  const live = g[GLOBAL_KEY];
  if (!live) return;
  delete g[GLOBAL_KEY];
  live.hub.close();
  await (
    await live.stop
  )();
}
