/**
 * Lifecycle and operations of the production server: health endpoints, one structured log line
 * per request with a request id, and graceful shutdown on SIGTERM/SIGINT.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AppServer } from '../support/app-server.ts';
import { emptyDatabase } from '../support/databases.ts';
import { startFakeResend } from '#scripts/support/fake-resend.ts';
import { HttpClient } from '../support/http-client.ts';
import { startPostgresApp } from '../support/postgres-app.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';
import { signedIn } from '../support/todo-users.ts';

/** Parses the server's JSON log lines (anything else, such as the local mailbox line, is skipped). */
function logLines(server: AppServer): Array<Record<string, unknown>> {
  return server
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * A POST whose body arrives in two parts: headers and a first chunk now, the rest when `finish()`
 * is called (or never: `abort()`). Stands in for a request that is in flight when the server is
 * told to stop, or whose client goes away.
 */
function slowPost(app: RunningApp, client: HttpClient, path: string, body: string) {
  const url = new URL(path, app.server.url);
  const request = http.request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      cookie: client.cookieHeader(),
      origin: app.server.url,
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, 5));
  return { response, finish: () => request.end(body.slice(5)), abort: () => request.destroy() };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The log lines `pick` selects, once there are some (info lines are written in batches, within 100 ms). */
async function waitForLines(server: AppServer, pick: (line: Record<string, unknown>) => boolean) {
  for (let tries = 0; tries < 40; tries++) {
    const lines = logLines(server).filter(pick);
    if (lines.length > 0) return lines;
    await pause(50);
  }
  return [];
}

describe('health endpoints and request logs (postgres mode)', () => {
  let app: RunningApp;
  let ann: HttpClient;
  beforeAll(async () => {
    app = await startApp('postgres');
    ann = await signedIn(app, 'ann');
  });
  afterAll(async () => app?.stop());

  it('GET /healthz: 200 JSON, no session work even with a session cookie', async () => {
    const response = await ann.fetch('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz: 200 when the database answers and every migration is applied, 503 when one is pending', async () => {
    const ready = await fetch(`${app.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', migrations: expect.any(Number) });

    const { rows } = await app.database!.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1',
    );
    const newest = rows[0]!.name;
    await app.database!.query('DELETE FROM schema_migrations WHERE name = $1', [newest]);
    try {
      const pending = await fetch(`${app.server.url}/readyz`);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toEqual({ status: 'unavailable', reason: 'migrations pending', pending: [newest] });
    } finally {
      await app.database!.query('INSERT INTO schema_migrations (name) VALUES ($1)', [newest]);
    }
    expect((await fetch(`${app.server.url}/readyz`)).status).toBe(200);
  });

  it('HEAD works on both; other methods fall through to the app (no health side doors)', async () => {
    expect((await fetch(`${app.server.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${app.server.url}/readyz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${app.server.url}/healthz`, { method: 'POST' })).status).not.toBe(200);
  });

  it('writes one JSON line per request with method, path (no query), status, duration and request id', async () => {
    const response = await ann.fetch('/api/todos?token=should-not-be-logged');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = await waitForLines(app.server, (line) => line.requestId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      time: expect.any(String),
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/api/todos',
      status: 200,
      durationMs: expect.any(Number),
      requestId: id,
    });
    expect(app.server.logs()).not.toContain('should-not-be-logged');
  });

  it('logs a request the client abandoned before its answer, marked aborted', async () => {
    const marker = `abandoned-${Date.now()}`;
    const { response, abort } = slowPost(app, ann, `/api/todos?${marker}`, '{"content":"never finished"}');
    response.catch(() => {});
    await pause(200);
    // The client goes away with the body half sent: the server never answers this request.
    abort();
    const lines = await waitForLines(app.server, (line) => line.path === '/api/todos' && line.aborted === true);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      method: 'POST',
      path: '/api/todos',
      aborted: true,
      requestId: expect.any(String),
    });
    expect(app.server.logs()).not.toContain(marker);
  });

  it.each([
    ['a proxy’s id is kept', 'trace-1234.abc', true],
    ['an id with spaces is replaced', 'a b', false],
    ['an overlong id is replaced', 'x'.repeat(200), false],
  ])('X-Request-Id: %s', async (_label, incoming, kept) => {
    const response = await fetch(`${app.server.url}/healthz`, { headers: { 'x-request-id': incoming } });
    const id = response.headers.get('x-request-id');
    if (kept) expect(id).toBe(incoming);
    else expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM: refuses new connections, finishes the in-flight request, ends the pool, exits 0', async () => {
    const app = await startApp('postgres');
    try {
      const ann = await signedIn(app, 'ann');
      const inFlight = slowPost(app, ann, '/api/todos', JSON.stringify({ content: 'sent during shutdown' }));
      await pause(200);
      const exited = app.server.signal('SIGTERM');
      await pause(300);
      await expect(fetch(`${app.server.url}/healthz`)).rejects.toThrow();
      inFlight.finish();
      const answer = await inFlight.response;
      expect(answer.status).toBe(201);
      expect(await exited).toBe(0);
      const { rows } = await app.database!.query<{ content: string }>('SELECT content FROM todos');
      expect(rows.map((r) => r.content)).toEqual(['sent during shutdown']);
      expect(app.server.logs()).toMatch(/SIGTERM: finishing in-flight requests[\s\S]*"\[server\] stopped"/);
    } finally {
      await app.stop();
    }
  });

  it('on SIGINT: a request that never finishes is cut after SHUTDOWN_GRACE_MS and the process still exits 0', async () => {
    const { database, url } = await emptyDatabase('postgres');
    const resend = await startFakeResend();
    const server = await startPostgresApp({
      databaseUrl: url!,
      wsProxy: inject('postgres').wsProxy,
      resend,
      env: { SHUTDOWN_GRACE_MS: '500' },
    });
    try {
      const stalled = http.request(`${server.url}/api/todos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '100' },
      });
      stalled.on('error', () => {}); // the server cuts it: expected
      stalled.write('{"con');
      await pause(200);
      const started = Date.now();
      expect(await server.signal('SIGINT')).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(server.logs()).toContain('grace period over');
    } finally {
      await server.stop();
      await resend.close();
      await database.end();
    }
  });
});
