/**
 * Health endpoints, answered by the server entry before Astro (no session, no rendering):
 * - GET /healthz: the process is alive and serving (never touches the database);
 * - GET /readyz: the database answers and every migration this build knows is applied.
 * Load balancers route to instances whose /readyz is 200; orchestrators restart on /healthz.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import { isDatabaseUnavailable } from '#lib/db/errors.server.ts';
import { migrationStatus, type Migration } from '#lib/db/migrate.server.ts';

/** A readiness probe must answer quickly even when the database hangs. */
export const READINESS_TIMEOUT_MS = 2_000;

export interface Probe {
  status: 200 | 503;
  body: Record<string, unknown>;
}

export function liveness(): Probe {
  return { status: 200, body: { status: 'ok' } };
}

export async function readiness(
  database: Queryable,
  migrations: Migration[],
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<Probe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const check = migrationStatus(database, migrations);
  check.catch(() => {}); // still observed below; this keeps a late failure after a timeout handled
  try {
    const result = await Promise.race([check, timeout]);
    if (result === 'timeout')
      return { status: 503, body: { status: 'unavailable', reason: 'database did not answer in time' } };
    if (result.pending.length > 0) {
      return { status: 503, body: { status: 'unavailable', reason: 'migrations pending', pending: result.pending } };
    }
    return { status: 200, body: { status: 'ready', migrations: result.applied.length } };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return { status: 503, body: { status: 'unavailable', reason: 'database unreachable' } };
  } finally {
    clearTimeout(timer);
  }
}
