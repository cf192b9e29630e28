/**
 * How the production build starts (or refuses to), which mail transport it uses, and what the
 * sign-in email looks like on the wire.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAppServerExpectingExit } from '../support/app-server.ts';
import { HttpClient } from '../support/http-client.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';
import { startApp, TEST_RESEND_KEY, type RunningApp } from '../support/running-app.ts';

describe('a server with a database but no mail transport', () => {
  it('refuses to start and says what to set', async () => {
    const { code, output } = await runAppServerExpectingExit({
      DATABASE_URL: 'postgres://u@127.0.0.1:1/db',
      AUTH_SECRET: 'x'.repeat(40),
      SITE_URL: 'https://todos.example.com',
    });
    expect(code).toBe(1);
    expect(output).toContain('RESEND_API_KEY or SMTP_URL is required');
  });

  it('refuses to start without AUTH_SECRET and SITE_URL', async () => {
    const { code, output } = await runAppServerExpectingExit({ DATABASE_URL: 'postgres://u@127.0.0.1:1/db' });
    expect(code).toBe(1);
    expect(output).toMatch(/AUTH_SECRET is required[\s\S]*SITE_URL is required/);
  });
});

describe('sign-in email through Resend (postgres mode)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('postgres');
  });
  afterAll(async () => app?.stop());

  it('posts one message to Resend’s API with the key, both parts and a link on SITE_URL', async () => {
    const email = `eve.${Date.now()}@example.com`;
    const response = await new HttpClient(app.server.url).requestSignIn(email);
    expect(response.status).toBe(302);
    const calls = app.resend!.calls.filter((c) => c.body.to.includes(email));
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.method).toBe('POST');
    expect(call!.path).toBe('/emails');
    expect(call!.headers.authorization).toBe(`Bearer ${TEST_RESEND_KEY}`);
    expect(call!.headers['content-type']).toContain('application/json');
    expect(call!.body).toMatchObject({
      from: 'Astro Todos <login@example.com>',
      to: [email],
      subject: 'Sign in to Astro Todos',
    });
    const link = `${app.server.url}/signin/confirm?`;
    expect(call!.body.text).toContain(link);
    expect(call!.body.html).toContain(link.replace(/&/g, '&amp;'));
    expect(call!.body.text).toMatch(/expire in 15 minutes/);
    expect(call!.body.text).toMatch(/didn't ask/);
  });

  it('builds the link from SITE_URL, not from the Host header (a foreign Host is refused outright)', async () => {
    const email = `host.${Date.now()}@example.com`;
    await new HttpClient(app.server.url).requestSignIn(email);
    // fetch() can't set Host; node:http can.
    const page = await rawRequest(`${app.server.url}/signin`, { host: 'evil.example' });
    expect(page.status).toBe(421);
    const link = await app.latestLink(email);
    expect(new URL(link).origin).toBe(app.server.url);
  });

  it('has no local mailbox outside local mode', async () => {
    expect((await fetch(`${app.server.url}/dev/mailbox`)).status).toBe(404);
    expect((await fetch(`${app.server.url}/dev/mailbox.json`)).status).toBe(404);
  });

  it('logs which transport it uses, never the API key', () => {
    expect(app.server.logs()).toContain('mail: Resend');
    expect(app.server.logs()).not.toContain(TEST_RESEND_KEY);
  });
});

describe('the build output', () => {
  // scripts/test.sh builds with canary secrets in the environment; none may reach dist/.
  const canaries = ['AUTH_SECRET', 'RESEND_API_KEY', 'DATABASE_URL'].map((name) => process.env[`BUILD_CANARY_${name}`]);

  it.runIf(canaries.every(Boolean))('holds none of the secrets present at build time', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(path.resolve(import.meta.dirname, '../../dist'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const content = readFileSync(file, 'latin1');
      for (const canary of canaries) expect(content.includes(canary!), `${canary} in ${file}`).toBe(false);
    }
  });
});
