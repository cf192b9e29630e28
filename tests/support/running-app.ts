/**
 * The production build running in each of its two shapes, for HTTP tests:
 * - `local`: no DATABASE_URL: embedded PGlite and the local mailbox (what `npm start` gives);
 * - `postgres`: a real PostgreSQL through the Neon driver and the WebSocket proxy, mail through
 *   Resend's API (answered by a loopback stand-in that records each call).
 */
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import { startAppServer, type AppServer } from './app-server.ts';
import { emptyDatabase } from './databases.ts';
import { HttpClient } from './http-client.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import { latestResendLink, startPostgresApp, TEST_RESEND_KEY } from './postgres-app.ts';
import { inject } from 'vitest';

export { TEST_RESEND_KEY };

export type AppMode = 'local' | 'postgres';
export const APP_MODES: AppMode[] = ['local', 'postgres'];

export interface RunningApp {
  mode: AppMode;
  server: AppServer;
  /** The newest sign-in link sent to `email`. */
  latestLink(email: string): Promise<string>;
  /** The app's database URL (postgres mode only), to start another instance on it. */
  databaseUrl: string | undefined;
  /** A direct handle on the app's database (postgres mode only) for checking stored state. */
  database: Database | undefined;
  resend: FakeResend | undefined;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  /** Extra environment for the server (limits, another mail transport...). */
  env?: Record<string, string>;
  /** Postgres mode: use this database URL (a second instance on the same database). */
  databaseUrl?: string;
  /** Node flags for the server (production's memory flags: scripts/support/server-runtime.ts). */
  nodeArgs?: string[];
}

export async function startApp(mode: AppMode, options: StartAppOptions = {}): Promise<RunningApp> {
  if (mode === 'local') {
    const server = await startAppServer({
      ...(options.env ? { env: options.env } : {}),
      ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    });
    return {
      mode,
      server,
      database: undefined,
      databaseUrl: undefined,
      resend: undefined,
      async latestLink(email) {
        const response = await fetch(`${server.url}/dev/mailbox.json?to=${encodeURIComponent(email)}`);
        const messages = (await response.json()) as Array<{ url: string }>;
        if (!messages[0]) throw new Error(`No mail for ${email}`);
        return messages[0].url;
      },
      stop: () => server.stop(),
    };
  }

  const { database, url } = options.databaseUrl
    ? {
        database: await openDatabase({ url: options.databaseUrl, wsProxy: inject('postgres').wsProxy }),
        url: options.databaseUrl,
      }
    : await emptyDatabase('postgres');
  const resend = await startFakeResend();
  const server = await startPostgresApp({
    databaseUrl: url!,
    wsProxy: inject('postgres').wsProxy,
    resend,
    ...(options.env ? { env: options.env } : {}),
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
  });
  return {
    mode,
    server,
    database,
    databaseUrl: url,
    resend,
    latestLink: async (email) => latestResendLink(resend, email),
    async stop() {
      await server.stop();
      await resend.close();
      await database.end();
    },
  };
}

/**
 * A client signed in as `email` through the real flow: asks `app` for a link, opens the mailed
 * link and confirms it. `userAgent` is what the browser says it is (the account page shows it).
 */
export async function signInByMail(app: RunningApp, email: string, userAgent?: string): Promise<HttpClient> {
  const client = new HttpClient(app.server.url);
  client.userAgent = userAgent;
  await client.signIn(email, app.latestLink);
  return client;
}
