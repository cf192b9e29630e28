/**
 * The environment a Postgres-mode server needs (what a deployment sets), for the tests and the
 * bench: the database through the WebSocket proxy, fixed test secrets, mail to the Resend stand-in.
 */
import type { FakeResend } from './fake-resend.ts';

export const TEST_RESEND_KEY = 're_test_0123456789abcdef';
export const TEST_AUTH_SECRET = 'test-secret-for-http-tests-0123456789abcdef';

export interface PostgresAppOptions {
  databaseUrl: string;
  wsProxy: string;
  resend: FakeResend;
  /** Defaults to the instance's own URL; instances behind one "load balancer" share one. */
  siteUrl?: string;
  env?: Record<string, string>;
}

export function postgresAppEnv(options: PostgresAppOptions & { port: number }): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    NEON_WS_PROXY: options.wsProxy,
    AUTH_SECRET: TEST_AUTH_SECRET,
    SITE_URL: options.siteUrl ?? `http://127.0.0.1:${options.port}`,
    RESEND_API_KEY: TEST_RESEND_KEY,
    RESEND_API_URL: options.resend.url,
    EMAIL_FROM: 'Astro Todos <login@example.com>',
    ...options.env,
  };
}
