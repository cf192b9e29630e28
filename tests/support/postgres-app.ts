/**
 * The production build in Postgres mode on a database of the test's choosing (the shared cluster,
 * or a cluster of its own for outage tests), mail through the Resend stand-in. Several instances
 * can share one database, as they would behind a load balancer.
 */
import { startAppServer, type AppServer } from './app-server.ts';
import type { FakeResend } from './fake-resend.ts';
import { freePort } from './ports.ts';

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

/** The environment a Postgres-mode server needs (what a deployment sets). */
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

export async function startPostgresApp(options: PostgresAppOptions): Promise<AppServer> {
  const port = await freePort();
  return startAppServer({ port, env: postgresAppEnv({ ...options, port }) });
}

/** The newest sign-in link the Resend stand-in received for `email`. */
export function latestResendLink(resend: FakeResend, email: string): string {
  const call = resend.calls.findLast((c) => c.body.to.includes(email));
  const link = call && /https?:\/\/\S+\/signin\/confirm\?\S+/.exec(call.body.text)?.[0];
  if (!link) throw new Error(`No mail for ${email}`);
  return link;
}
