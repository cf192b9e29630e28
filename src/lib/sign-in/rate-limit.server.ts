/**
 * Fixed-window rate limits stored in Postgres, so every instance of the server shares them.
 * One statement counts the hit and reports the window, so concurrent requests can't both slip in.
 */
import type { Queryable } from '#lib/db/index.server.ts';

export interface RateLimitRule {
  /** Namespace of the key, e.g. 'signin-email'. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

/** One hit to count: a rule and who it is about (an address, a network). */
export interface RateLimitHit {
  rule: RateLimitRule;
  subject: string;
}

/** The stored key of a hit's window. */
export const rateLimitKey = ({ rule, subject }: RateLimitHit): string => `${rule.name}:${subject}`;

/**
 * What a hit does to a key's stored window (`INSERT INTO rate_limits AS r … ` followed by this):
 * a fresh window (count 1, the inserted expiry) once the old one has run out, else one more hit.
 * The statements that count hits share it, so every limit keeps the same fixed-window rule.
 */
export const COUNT_HIT = `ON CONFLICT (key) DO UPDATE SET
       window_start = CASE WHEN r.expires <= now() THEN now() ELSE r.window_start END,
       count = CASE WHEN r.expires <= now() THEN 1 ELSE r.count + 1 END,
       expires = CASE WHEN r.expires <= now() THEN EXCLUDED.expires ELSE r.expires END`;

/** Seconds until a counted window resets (for Retry-After), as a RETURNING column of COUNT_HIT's statement. */
export const RETRY_AFTER = 'GREATEST(1, ceil(extract(epoch FROM r.expires - now())))::int AS retry_after';

/** Counts one hit for `subject` under `rule`. */
async function hitRateLimit(database: Queryable, rule: RateLimitRule, subject: string): Promise<RateLimitResult> {
  const { rows } = await database.query<{ count: number; retry_after: number }>(
    `INSERT INTO rate_limits AS r (key, window_start, count, expires)
     VALUES ($1, now(), 1, now() + make_interval(secs => $2))
     ${COUNT_HIT}
     RETURNING count, ${RETRY_AFTER}`,
    [rateLimitKey({ rule, subject }), rule.windowSeconds],
  );
  const row = rows[0]!;
  return { allowed: row.count <= rule.limit, count: row.count, retryAfterSeconds: row.retry_after };
}

/** Checks several rules; every rule counts the hit. The answer is the most restrictive one. */
export async function hitRateLimits(database: Queryable, hits: RateLimitHit[]): Promise<RateLimitResult> {
  const results = await Promise.all(hits.map(({ rule, subject }) => hitRateLimit(database, rule, subject)));
  const refused = results.filter((r) => !r.allowed);
  if (refused.length === 0) return results[0] ?? { allowed: true, count: 0, retryAfterSeconds: 0 };
  return refused.reduce((a, b) => (a.retryAfterSeconds >= b.retryAfterSeconds ? a : b));
}
