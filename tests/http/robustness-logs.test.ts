/**
 * The logs of a full run never contain a credential: a whole session of use (sign-in by email,
 * todo work, bad requests, sign-out, replayed and forged cookies) on Postgres mode with a database
 * password, then every secret, token and cookie value that crossed the wire is searched for in
 * everything the server printed. (Local mode prints sign-in links on purpose: the dev mailbox.)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AppServer } from '../support/app-server.ts';
import { emptyDatabase } from '../support/databases.ts';
import { startFakeResend, type FakeResend } from '#scripts/support/fake-resend.ts';
import { HttpClient } from '../support/http-client.ts';
import { latestResendLink, startPostgresApp, TEST_AUTH_SECRET, TEST_RESEND_KEY } from '../support/postgres-app.ts';
import type { Database } from '#lib/db/index.server.ts';

// The throwaway cluster trusts local connections, so any password works and can be a canary.
const DB_PASSWORD = `pw-canary-${Date.now()}`;

describe('logs of a full run', () => {
  let database: Database;
  let resend: FakeResend;
  let server: AppServer;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    const fresh = await emptyDatabase('postgres');
    database = fresh.database;
    resend = await startFakeResend();
    const databaseUrl = fresh.url!.replace('postgres://postgres@', `postgres://postgres:${DB_PASSWORD}@`);
    server = await startPostgresApp({ databaseUrl, wsProxy: inject('postgres').wsProxy, resend });
    secrets.set('database password', DB_PASSWORD);
    secrets.set('AUTH_SECRET', TEST_AUTH_SECRET);
    secrets.set('RESEND_API_KEY', TEST_RESEND_KEY);

    const email = `logscan.${Date.now()}@example.com`;
    const ann = new HttpClient(server.url);
    await ann.signIn(email, async (to) => latestResendLink(resend, to));
    const link = new URL(latestResendLink(resend, email));
    secrets.set('sign-in link token', link.searchParams.get('token')!);
    for (const [name, value] of ann.cookies) secrets.set(`cookie ${name}`, value);

    const todo = (await (await ann.fetch('/api/todos', { json: { content: 'log me not' } })).json()) as { id: number };
    await ann.fetch(`/api/todos/${todo.id}`, { method: 'PATCH', json: { completed: true } });
    await ann.fetch('/api/todos', {
      method: 'POST',
      body: '{"content":',
      headers: { 'content-type': 'application/json' },
    });
    await ann.fetch('/api/todos/abc', { method: 'DELETE' });
    await ann.fetch('/todos');
    await ann.fetch(link.pathname + link.search); // replaying the used link: a logged Auth.js error
    const signedIn = ann.sessionCookie()!;
    await ann.fetch('/signout', { form: {} });
    const replay = new HttpClient(server.url);
    replay.cookies.set('authjs.session-token', signedIn);
    await replay.fetch('/api/todos');
    const forged = `forged-${Date.now()}-cookie-value`;
    secrets.set('forged cookie', forged);
    const stranger = new HttpClient(server.url);
    stranger.cookies.set('authjs.session-token', forged);
    await stranger.fetch('/todos');
    await stranger.fetch('/api/todos', { headers: { authorization: `Bearer ${forged}-bearer` } });
    // Give the last request lines a moment to be written (info lines go out in batches, within 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 400));
  });
  afterAll(async () => {
    await server?.stop();
    await resend?.close();
    await database?.end();
  });

  it('logged every request as one JSON line', () => {
    const requestLines = server
      .logs()
      .split('\n')
      .filter((line) => line.includes('"msg":"request"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(12);
    for (const line of requestLines) {
      expect(JSON.parse(line)).toMatchObject({
        method: expect.any(String),
        path: expect.any(String),
        status: expect.any(Number),
        requestId: expect.any(String),
      });
    }
  });

  it('contains no secret, token or cookie value', () => {
    const logs = server.logs();
    expect(secrets.size).toBeGreaterThanOrEqual(7);
    for (const [name, value] of secrets) expect(logs.includes(value), `${name} appears in the logs`).toBe(false);
    expect(logs).not.toMatch(/token=[^&\s"[]/);
  });
});
