/**
 * Removes rows nobody can use any more: expired links, codes, sessions, rate-limit windows, email
 * changes and passkey challenges, and deleted todos whose undo window has passed.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import { log } from '#lib/log/log.server.ts';
import { UNDO_WINDOW_SECONDS } from '#todos/model.ts';

export interface PruneCounts {
  verificationTokens: number;
  signInCodes: number;
  sessions: number;
  rateLimits: number;
  deletedTodos: number;
  passkeyChallenges: number;
  emailChanges: number;
}

export async function pruneExpired(database: Queryable): Promise<PruneCounts> {
  const { rows } = await database.query<Record<keyof PruneCounts, number>>(
    `WITH v AS (DELETE FROM verification_token WHERE expires <= now() RETURNING 1),
          c AS (DELETE FROM sign_in_codes WHERE expires <= now() RETURNING 1),
          s AS (DELETE FROM sessions WHERE expires <= now() RETURNING 1),
          r AS (DELETE FROM rate_limits WHERE expires <= now() RETURNING 1),
          t AS (DELETE FROM todos WHERE deleted_at <= now() - make_interval(secs => $1::int) RETURNING 1),
          k AS (DELETE FROM passkey_challenges WHERE expires <= now() RETURNING 1),
          e AS (DELETE FROM email_changes WHERE expires <= now() RETURNING 1)
     SELECT (SELECT count(*) FROM v)::int AS "verificationTokens",
            (SELECT count(*) FROM c)::int AS "signInCodes",
            (SELECT count(*) FROM s)::int AS sessions,
            (SELECT count(*) FROM r)::int AS "rateLimits",
            (SELECT count(*) FROM e)::int AS "emailChanges",
            (SELECT count(*) FROM k)::int AS "passkeyChallenges",
            (SELECT count(*) FROM t)::int AS "deletedTodos"`,
    [UNDO_WINDOW_SECONDS],
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
