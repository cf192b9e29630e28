/**
 * Per-IP limits on passkey sign-in, counted in Postgres like the email limits (rate-limit.server.ts)
 * and derived from the same setting, SIGN_IN_EMAILS_PER_IP (default 20 an hour per client):
 * - sign-in attempts (answers checked) share that number, an hour per client;
 * - options (each stores a challenge row; /signin asks for one on every visit for the browser's
 *   autofill) get ten times it, so ordinary browsing never meets the limit but a flood of rows does.
 */
import { config } from '#lib/config/config.server.ts';
import type { Queryable } from '#lib/db/index.server.ts';
import { rateLimitSubject } from '#lib/sign-in/client-ip.server.ts';
import { hitRateLimits, type RateLimitResult } from '#lib/sign-in/rate-limit.server.ts';

const HOUR = 60 * 60;

/** Counts one passkey sign-in step from `ip` (from client-ip.server.ts). */
export function checkPasskeyLimit(
  database: Queryable,
  step: 'options' | 'attempt',
  ip: string,
): Promise<RateLimitResult> {
  const perIp = config().signIn.emailsPerIp;
  const rule =
    step === 'options'
      ? { name: 'passkey-options-ip', limit: perIp * 10, windowSeconds: HOUR }
      : { name: 'passkey-signin-ip', limit: perIp, windowSeconds: HOUR };
  return hitRateLimits(database, [{ rule, subject: rateLimitSubject(ip) }]);
}
