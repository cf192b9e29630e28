/**
 * Browser tests (Playwright, Chromium only) against the production build, in local mode.
 *
 * `npm test` (scripts/test.sh) runs `astro build` first; this config only starts the built
 * server (`node dist/server/serve.mjs`) and never builds. The server gets a fresh data directory each run,
 * so the embedded PGlite database, its generated secret and the dev mailbox start empty.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromium } from 'playwright-core';
import { SERVER_ENTRY, SERVER_NODE_FLAGS } from './scripts/support/server-runtime.ts';

/** Fixed so baseURL can be known before the server starts; override with E2E_PORT if taken. */
const PORT = Number(process.env.E2E_PORT ?? 4329);
// The server builds magic links from SITE_URL, which defaults to http://localhost:PORT in local
// mode; the browser must use that same origin or its writes are refused as cross-site.
const BASE_URL = `http://localhost:${PORT}`;

/**
 * Playwright's own Chromium if it was downloaded, else the system one (Debian's `chromium`);
 * PLAYWRIGHT_CHROMIUM picks another binary. Never downloads a browser.
 */
function chromiumExecutable(): string | undefined {
  if (process.env.PLAYWRIGHT_CHROMIUM) return process.env.PLAYWRIGHT_CHROMIUM;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    // no browser registry entry for this platform: fall through to the system browser
  }
  if (bundled && existsSync(bundled)) return undefined; // Playwright finds its own
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(
    'No Chromium for the browser tests: run `apt-get install chromium` (or `playwright install chromium`), ' +
      'or set PLAYWRIGHT_CHROMIUM to a Chromium binary.',
  );
}

// The config file is evaluated in the runner and again in each worker: create the data directory
// once, hand it to the workers through the environment, and remove it when the runner exits (by
// then Playwright has stopped the server). E2E_DATA_DIR set by hand is kept, for a look inside.
if (!process.env.E2E_DATA_DIR) {
  const created = mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
  process.env.E2E_DATA_DIR = created;
  process.once('exit', () => rmSync(created, { recursive: true, force: true }));
}
const DATA_DIR = process.env.E2E_DATA_DIR;

/**
 * Local mode for the server: Playwright starts it with `{...process.env, ...webServer.env}`, so
 * removing DATABASE_URL (and what only makes sense with it) from the env object is not enough;
 * they are set to empty strings, which the server's config treats as unset.
 */
const UNSET_FOR_LOCAL_MODE = [
  'DATABASE_URL',
  'NEON_WS_PROXY',
  'AUTH_SECRET',
  'SITE_URL',
  'RESEND_API_KEY',
  'EMAIL_FROM',
];
const serverEnv: Record<string, string> = {
  ...Object.fromEntries(UNSET_FOR_LOCAL_MODE.map((key) => [key, ''])),
  PORT: String(PORT),
  HOST: '127.0.0.1',
  DATA_DIR,
  // Every browser test signs in through the email flow from one address (127.0.0.1): the default
  // 20 emails per client per hour would refuse the suite's later sign-ins. The limit itself has
  // HTTP tests (tests/http/sign-in.test.ts, client-ip.test.ts).
  SIGN_IN_EMAILS_PER_IP: '10000',
};

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: chromiumExecutable(),
          // Root in a sandbox with no network: no setuid sandbox, no GPU, no calls home.
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // As `npm start` runs it: local mode (PGlite) under production's heap limits.
    command: `node ${SERVER_NODE_FLAGS.join(' ')} ${SERVER_ENTRY}`,
    env: serverEnv,
    // 127.0.0.1 rather than localhost: the server binds IPv4 only, and `localhost` may resolve to ::1 first.
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    // The server's log (sign-in links included) only when asked: E2E_SERVER_LOG=1.
    stdout: process.env.E2E_SERVER_LOG ? 'pipe' : 'ignore',
    stderr: 'pipe',
  },
});
