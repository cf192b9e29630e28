/**
 * The database goes away while the server runs, then comes back: a cluster of this file's own
 * (stopping the shared one would disturb every other test file), the production build on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServer } from '../support/app-server.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import { HttpClient } from '../support/http-client.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '#scripts/support/postgres.ts';
import { latestResendLink, startPostgresApp } from '../support/postgres-app.ts';
import { startWsProxy, type WsProxy } from '#scripts/support/ws-proxy.ts';

const RECOVERY_LIMIT_MS = 5_000;

/** The UserMenu server island's URL as the prerendered home page embeds it. */
async function userMenuIslandPath(baseUrl: string): Promise<string> {
  const html = await (await fetch(baseUrl)).text();
  const path = /\/_server-islands\/UserMenu\?e=[^"&]+&p=[^"&]*&s=[^"&]*/.exec(html)?.[0];
  if (!path) throw new Error('No UserMenu island URL on the home page');
  return path;
}

describe('database outage while serving (postgres mode)', () => {
  let postgres: ThrowawayPostgres;
  let proxy: WsProxy;
  let resend: FakeResend;
  let server: AppServer;
  let ann: HttpClient;
  let annCookie: string;
  let island: string;

  beforeAll(async () => {
    postgres = await startThrowawayPostgres();
    proxy = await startWsProxy();
    resend = await startFakeResend();
    server = await startPostgresApp({ databaseUrl: postgres.url, wsProxy: proxy.address, resend });
    ann = new HttpClient(server.url);
    await ann.signIn(`ann.${Date.now()}@example.com`, async (email) => latestResendLink(resend, email));
    annCookie = ann.sessionCookie()!;
    expect((await ann.fetch('/api/todos', { json: { content: 'written before the outage' } })).status).toBe(201);
    island = await userMenuIslandPath(server.url);
    expect(await (await ann.fetch(island)).text()).toContain('Sign out');
  });
  afterAll(async () => {
    await server?.stop();
    await resend?.close();
    await proxy?.close();
    await postgres?.stop();
  });

  describe('while the database is down', () => {
    beforeAll(async () => postgres.pause());

    it.each([
      ['GET', '/api/todos', undefined],
      ['POST', '/api/todos', { content: 'lost?' }],
      ['PATCH', '/api/todos/1', { completed: true }],
      ['DELETE', '/api/todos/1', undefined],
    ] as const)('answers %s %s with 503 unavailable and Retry-After', async (method, path, json) => {
      const response = await ann.fetch(path, { method, ...(json ? { json } : {}) });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    });

    it('answers a page that needs the database with a friendly 503 page', async () => {
      const response = await ann.fetch('/todos');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('text/html');
      const page = await response.text();
      expect(page).toContain('Back in a moment');
      expect(page).not.toMatch(/stack|Error:|at \//);
    });

    it('keeps serving prerendered pages, and the user menu island falls back instead of showing “Sign in”', async () => {
      expect((await fetch(server.url)).status).toBe(200);
      const menu = await ann.fetch(island);
      // Astro's island loader only swaps in a 200 text/html answer; anything else keeps the fallback.
      expect(menu.status).toBe(503);
      expect(await menu.text()).not.toContain('Sign in');
    });

    it('does not sign anyone out: no Set-Cookie clears the session', async () => {
      const response = await ann.fetch('/api/todos');
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(ann.sessionCookie()).toBe(annCookie);
    });

    it('answers a sign-in request with the friendly 503 page (the rate limit lives in the database)', async () => {
      const response = await new HttpClient(server.url).fetch('/api/auth/signin/email', {
        form: { email: 'someone@example.com', csrfToken: 'x', callbackUrl: '/todos' },
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBeTruthy();
      expect(await response.text()).toContain('Back in a moment');
    });

    it('answers a sign-in link being used with the 503 page, not Auth.js’s “configuration” error', async () => {
      const response = await new HttpClient(server.url).fetch(
        '/api/auth/callback/email?token=abc&email=someone%40example.com',
        {
          method: 'POST',
          form: {},
        },
      );
      expect(response.status).toBe(503);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('Back in a moment');
    });

    it('stays alive (healthz 200) and reports not ready (readyz 503)', async () => {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable' });
    });
  });

  describe('when the database comes back', () => {
    beforeAll(async () => postgres.start());

    it(`works again within ${RECOVERY_LIMIT_MS / 1000} s, without a restart, with the same session`, async () => {
      const started = Date.now();
      let status = 0;
      while (Date.now() - started < RECOVERY_LIMIT_MS) {
        status = (await ann.fetch('/api/todos')).status;
        if (status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
      const todos = await (await ann.fetch('/api/todos')).json();
      expect(todos.map((t: { content: string }) => t.content)).toEqual(['written before the outage']);
      expect((await ann.fetch('/api/todos', { json: { content: 'after' } })).status).toBe(201);
      expect((await ann.fetch('/todos')).status).toBe(200);
      expect(await (await ann.fetch(island)).text()).toContain('Sign out');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    });

    it('logged no unhandled rejection, no crash and no 500', () => {
      const logs = server.logs();
      expect(logs).not.toMatch(/unhandled|uncaught/i);
      expect(logs).not.toMatch(/"status":500/);
    });
  });
});
