/** Removes rows nobody can use any more: expired links, codes, sessions, rate-limit windows, email changes. */
import type { Queryable } from '#lib/db/index.server.ts';
import { log } from '#lib/log/log.server.ts';

export interface PruneCounts {
  verificationTokens: number;
  signInCodes: number;
  sessions: number;
  rateLimits: number;
  emailChanges: number;
}

export async function pruneExpired(database: Queryable): Promise<PruneCounts> {
  const { rows } = await database.query<Record<keyof PruneCounts, number>>(
    `WITH v AS (DELETE FROM verification_token WHERE expires <= now() RETURNING 1),
          c AS (DELETE FROM sign_in_codes WHERE expires <= now() RETURNING 1),
          s AS (DELETE FROM sessions WHERE expires <= now() RETURNING 1),
          r AS (DELETE FROM rate_limits WHERE expires <= now() RETURNING 1),
          e AS (DELETE FROM email_changes WHERE expires <= now() RETURNING 1)
     SELECT (SELECT count(*) FROM v)::int AS "verificationTokens",
            (SELECT count(*) FROM c)::int AS "signInCodes",
            (SELECT count(*) FROM s)::int AS sessions,
            (SELECT count(*) FROM r)::int AS "rateLimits",
            (SELECT count(*) FROM e)::int AS "emailChanges"`,
  );
  return rows[0]!;
}

/** Prunes once an hour for the life of the process (never keeps the process alive). */
export function startPruneTimer(database: Queryable, intervalMs = 60 * 60 * 1000): () => void {
  const timer = setInterval(() => {
    pruneExpired(database).then(
      (counts) => log.info('[prune] expired rows removed', { ...counts }),
      (error: unknown) => log.error('[prune] failed', error),
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
