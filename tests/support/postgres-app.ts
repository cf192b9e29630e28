/**
 * The production build in Postgres mode on a database of the test's choosing (the shared cluster,
 * or a cluster of its own for outage tests), mail through the Resend stand-in. Several instances
 * can share one database, as they would behind a load balancer.
 */
import type { FakeResend } from '#scripts/support/fake-resend.ts';
import { postgresAppEnv, type PostgresAppOptions } from '#scripts/support/postgres-app-env.ts';
import { freePort } from '#scripts/support/ports.ts';
import { startAppServer, type AppServer } from './app-server.ts';

export { TEST_AUTH_SECRET, TEST_RESEND_KEY } from '#scripts/support/postgres-app-env.ts';

export async function startPostgresApp(options: PostgresAppOptions & { nodeArgs?: string[] }): Promise<AppServer> {
  const port = await freePort();
  const { nodeArgs, ...rest } = options;
  return startAppServer({ port, env: postgresAppEnv({ ...rest, port }), ...(nodeArgs ? { nodeArgs } : {}) });
}

/** The newest sign-in link the Resend stand-in received for `email`. */
export function latestResendLink(resend: FakeResend, email: string): string {
  const call = resend.calls.findLast((c) => c.body.to.includes(email));
  const link = call && /https?:\/\/\S+\/signin\/confirm\?\S+/.exec(call.body.text)?.[0];
  if (!link) throw new Error(`No mail for ${email}`);
  return link;
}
