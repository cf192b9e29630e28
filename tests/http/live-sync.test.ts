/**
 * Live sync (issue #14) against the production build, in local mode (PGlite's LISTEN) and on real
 * Postgres (a LISTEN connection of the Neon driver): GET /api/todos/events is refused without a
 * session, tells every open stream of the user about each kind of change within a second (and
 * nobody else), ends when the session is revoked, resumes from Last-Event-ID, bounds streams per
 * user, heartbeats without queries, and does not hold up shutdown. On Postgres also: a change made
 * through one instance reaches a stream on another, and a dropped LISTEN connection comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESUME_SLACK_MS } from '#lib/live/hub.server.ts';
import { HttpClient } from '../support/http-client.ts';
import { openEventStream, type OpenStream } from '../support/event-stream.ts';
import { APP_MODES, startApp, type RunningApp, signInByMail } from '../support/running-app.ts';
import { uniqueEmail } from '../support/users.ts';

const ENV = {
  SIGN_IN_EMAILS_PER_IP: '1000',
  SIGN_IN_EMAILS_PER_ADDRESS: '100',
  LIVE_STREAMS_PER_USER: '3',
  LIVE_HEARTBEAT_MS: '300',
};

const open: OpenStream[] = [];
async function stream(app: RunningApp, client: HttpClient | null, headers: Record<string, string> = {}) {
  const s = await openEventStream(app.server.url, client ? { cookie: client.cookieHeader(), ...headers } : headers);
  open.push(s);
  return s;
}

describe.each(APP_MODES)('live sync (%s)', (mode) => {
  let app: RunningApp;
  const signedIn = (email: string) => signInByMail(app, email);
  beforeAll(async () => {
    app = await startApp(mode, { env: ENV });
    // On Postgres the LISTEN connection opens with the first stream (and is held while streams
    // are open): once it is up, open streams are told to refresh. This one keeps it up.
    if (mode === 'postgres') await (await stream(app, await signedIn(uniqueEmail('first')))).next('refresh', 5_000);
  });
  afterAll(async () => {
    for (const s of open.splice(0)) s.close();
    await app?.stop();
  });

  it('refuses without a session: 401 JSON, no stream', async () => {
    for (const cookie of [undefined, 'authjs.session-token=nobody']) {
      const s = await openEventStream(app.server.url, cookie ? { cookie } : {});
      expect(s.status).toBe(401);
      expect(s.response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await s.response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('tells every open stream of the user about each kind of change within 1 s, and nobody else', async () => {
    const email = uniqueEmail('live');
    const laptop = await signedIn(email);
    const phone = await signedIn(email);
    const stranger = await signedIn(uniqueEmail('stranger'));
    const onPhone = await stream(app, phone);
    const onLaptop = await stream(app, laptop);
    const onStranger = await stream(app, stranger);
    expect(onPhone.status).toBe(200);
    expect(onPhone.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(onPhone.response.headers.get('cache-control')).toMatch(/no-store/);

    const add = async (content: string) =>
      ((await (await laptop.fetch('/api/todos', { json: { content } })).json()) as { id: number }).id;
    const first = await add('live one');
    const second = await add('live two');
    for (const s of [onPhone, onLaptop]) for (let i = 0; i < 2; i++) await s.next('change', 1_000);
    let third = 0;
    const changes: Array<[string, () => Promise<unknown>]> = [
      ['edit', () => laptop.fetch(`/api/todos/${first}`, { method: 'PATCH', json: { content: 'edited' } })],
      ['toggle', () => laptop.fetch(`/api/todos/${first}`, { method: 'PATCH', json: { completed: true } })],
      ['toggle all', () => laptop.fetch('/api/todos/complete-all', { json: { completed: true } })],
      ['clear completed', () => laptop.fetch('/api/todos/completed', { method: 'DELETE' })],
      ['add', async () => (third = await add('and again'))],
      ['delete', () => laptop.fetch(`/api/todos/${third}`, { method: 'DELETE' })],
    ];
    const kinds: string[] = [];
    for (const [what, change] of changes) {
      const started = Date.now();
      const waiting = Promise.all([onPhone.next('change', 1_000), onLaptop.next('change', 1_000)]);
      await change();
      const [seen] = await waiting;
      kinds.push((JSON.parse(seen.data) as { kind: string }).kind);
      expect(Date.now() - started, what).toBeLessThan(1_000);
    }
    expect(kinds).toEqual(['update', 'update', 'update', 'delete', 'insert', 'delete']);
    expect(second).toBeGreaterThan(first);
    expect(onStranger.events.filter((e) => e.event === 'change')).toEqual([]);
    // One message per statement (clear completed deleted two rows): two adds and six changes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onPhone.events.filter((e) => e.event === 'change')).toHaveLength(8);
  });

  it('sends heartbeats (comment lines with the resume id) while idle', async () => {
    const s = await stream(app, await signedIn(uniqueEmail('idle')));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the opening block
    const before = s.comments;
    const firstId = s.lastId;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(s.comments - before).toBeGreaterThanOrEqual(2);
    expect(Number(s.lastId)).toBeGreaterThan(Number(firstId));
  });

  it('ends the streams of revoked sessions at once ("sign out everywhere" on another device)', async () => {
    const email = uniqueEmail('revoked');
    const laptop = await signedIn(email);
    const phone = await signedIn(email);
    const onPhone = await stream(app, phone);
    const started = Date.now();
    const done = await laptop.fetch('/account', { form: { action: 'sign-out-everywhere' } });
    expect(done.status).toBe(303);
    const end = await onPhone.next('end', 1_000);
    expect(JSON.parse(end.data)).toEqual({ reason: 'signed_out' });
    await onPhone.ended;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await stream(app, phone)).status).toBe(401);
  });

  it('resumes from Last-Event-ID: a change missed while away is told at once, none is invented', async () => {
    const client = await signedIn(uniqueEmail('resume'));
    // Ids from the process's first RESUME_SLACK_MS can't be told apart from older ones: a refresh.
    await new Promise((resolve) => setTimeout(resolve, RESUME_SLACK_MS));
    const first = await stream(app, client);
    await new Promise((resolve) => setTimeout(resolve, 400)); // a heartbeat moves the id on
    const resumeFrom = first.lastId!;
    first.close();

    const quiet = await stream(app, client, { 'last-event-id': resumeFrom });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(quiet.events).toEqual([]);
    quiet.close();

    await client.fetch('/api/todos', { json: { content: 'while away' } });
    const back = await stream(app, client, { 'last-event-id': resumeFrom });
    await back.next('change', 500);
    back.close();

    // An id from before this process knew anything: a full refresh.
    const stale = await stream(app, client, { 'last-event-id': '1000' });
    await stale.next('refresh', 500);
  });

  it('bounds the streams per user (429 JSON beyond LIVE_STREAMS_PER_USER) and frees closed ones', async () => {
    const client = await signedIn(uniqueEmail('limit'));
    const streams = [await stream(app, client), await stream(app, client), await stream(app, client)];
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await stream(app, client);
    expect(refused.status).toBe(429);
    expect(await refused.response.json()).toEqual({ error: { code: 'too_many_streams', message: expect.any(String) } });
    streams[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await stream(app, client)).status).toBe(200);
  });
});

describe('live sync across instances (Postgres)', () => {
  let a: RunningApp;
  let b: RunningApp;
  beforeAll(async () => {
    a = await startApp('postgres', { env: ENV });
    b = await startApp('postgres', { env: ENV, databaseUrl: a.databaseUrl! });
  });
  afterAll(async () => {
    for (const s of open.splice(0)) s.close();
    await b?.stop();
    await a?.stop();
  });

  const listening = async () =>
    (
      await a.database!.query(
        `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'LISTEN todo_changes%' AND pid <> pg_backend_pid()`,
      )
    ).rows.length;

  it('a change made through instance A reaches a stream on instance B within 1 s', async () => {
    const viaA = new HttpClient(a.server.url);
    const email = uniqueEmail('two');
    await viaA.signIn(email, a.latestLink);
    // No page open yet: no instance holds a LISTEN connection (an idle Neon compute may sleep).
    expect(await listening()).toBe(0);
    const onB = await stream(b, viaA);
    expect(onB.status).toBe(200);
    await onB.next('refresh', 5_000); // B's LISTEN connection is up
    expect(await listening()).toBe(1);
    const started = Date.now();
    const waiting = onB.next('change', 1_000);
    expect((await viaA.fetch('/api/todos', { json: { content: 'via A' } })).status).toBe(201);
    expect(JSON.parse((await waiting).data)).toEqual({ kind: 'insert' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a dropped LISTEN connection comes back: streams are told to refresh, and changes flow again', async () => {
    const client = new HttpClient(b.server.url);
    await client.signIn(uniqueEmail('dropped'), b.latestLink);
    const onB = await stream(b, client);
    // Cut every LISTEN connection (both instances'): what a database restart or failover does.
    await a.database!.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN todo_changes%' AND pid <> pg_backend_pid()`,
    );
    await onB.next('refresh', 5_000);
    const waiting = onB.next('change', 1_000);
    await client.fetch('/api/todos', { json: { content: 'after the drop' } });
    await waiting;
    expect(b.server.logs()).toContain('LISTEN connection lost; reconnecting');
  });

  it('shutdown ends open streams at once instead of waiting out the grace period', async () => {
    const client = new HttpClient(a.server.url);
    await client.signIn(uniqueEmail('shutdown'), a.latestLink);
    const onA = await stream(a, client);
    const started = Date.now();
    const code = await a.server.signal('SIGTERM');
    await onA.ended;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
