/**
 * /account against the production build on real Postgres: sessions listed, signing out of other
 * sessions and everywhere, deleting the account with everything it owns, and pruning. On both
 * databases: a revoked session's form posts change nothing and go to sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpired } from '#lib/account/prune.server.ts';
import { HttpClient } from '../support/http-client.ts';
import { APP_MODES, startApp, type RunningApp, signInByMail } from '../support/running-app.ts';
import { uniqueEmail } from '../support/users.ts';

describe('account control', () => {
  let app: RunningApp;
  const signedIn = (email: string) => signInByMail(app, email);
  beforeAll(async () => {
    app = await startApp('postgres', { env: { SIGN_IN_EMAILS_PER_IP: '1000', SIGN_IN_EMAILS_PER_ADDRESS: '100' } });
  });
  afterAll(async () => app?.stop());

  it('sends visitors to sign in', async () => {
    const response = await new HttpClient(app.server.url).fetch('/account');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/signin?callbackUrl=%2Faccount');
  });

  it('lists the sessions, marks this one, and signs out the others only', async () => {
    const email = uniqueEmail('multi');
    const laptop = await signedIn(email);
    const phone = await signedIn(email);
    const tablet = await signedIn(email);
    const page = await (await laptop.fetch('/account')).text();
    expect(page).toContain(email);
    expect(page.match(/<li class="session/g)?.length).toBe(3);
    expect(page.match(/This device/g)?.length).toBe(1);

    const done = await laptop.fetch('/account', { form: { action: 'sign-out-others' } });
    expect(done.headers.get('location')).toBe('/account?ended=2');
    expect((await laptop.fetch('/api/todos')).status).toBe(200);
    expect((await phone.fetch('/api/todos')).status).toBe(401);
    expect((await tablet.fetch('/api/todos')).status).toBe(401);
  });

  it('signs out everywhere, this session included', async () => {
    const email = uniqueEmail('everywhere');
    const one = await signedIn(email);
    const two = await signedIn(email);
    const done = await one.fetch('/account', { form: { action: 'sign-out-everywhere' } });
    expect(done.status).toBe(303);
    expect(one.sessionCookie()).toBeUndefined();
    for (const client of [one, two]) expect((await client.fetch('/api/todos')).status).toBe(401);
    const { rowCount } = await app.database!.query(
      'SELECT 1 FROM sessions s JOIN users u ON u.id = s."userId" WHERE u.email = $1',
      [email],
    );
    expect(rowCount).toBe(0);
  });

  it('answers an oversized form with 413 and a message, changing nothing (not "unknown action")', async () => {
    const email = uniqueEmail('oversized');
    const client = await signedIn(email);
    const other = await signedIn(email);
    const response = await client.fetch('/account', {
      form: { action: 'sign-out-others', padding: 'x'.repeat(5000) },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(await response.text()).toContain('That form was too large');
    expect((await other.fetch('/api/todos')).status).toBe(200);
  });

  it('deletes nothing when the typed address does not match', async () => {
    const email = uniqueEmail('careful');
    const client = await signedIn(email);
    await client.fetch('/api/todos', { json: { content: 'keep me' } });
    const response = await client.fetch('/account', {
      form: { action: 'delete-account', confirm: 'someone@example.com' },
    });
    expect(response.headers.get('location')).toContain('error=mismatch');
    expect(await (await client.fetch('/api/todos')).json()).toHaveLength(1);
  });

  it('deletes the user with their sessions, tokens, codes and todos in one go', async () => {
    const email = uniqueEmail('leaving');
    const client = await signedIn(email);
    const other = await signedIn(email);
    await client.fetch('/api/todos', { json: { content: 'one' } });
    await client.fetch('/api/todos', { json: { content: 'two' } });
    await new HttpClient(app.server.url).requestSignIn(email); // a pending link and code
    const { rows } = await app.database!.query<{ id: number }>('SELECT id FROM users WHERE email = $1', [email]);
    const userId = rows[0]!.id;

    const response = await client.fetch('/account', {
      form: { action: 'delete-account', confirm: email.toUpperCase() },
    });
    expect(response.headers.get('location')).toBe('/account/deleted');
    expect((await other.fetch('/api/todos')).status).toBe(401);
    const count = async (sql: string, param: unknown) => (await app.database!.query(sql, [param])).rowCount;
    expect(await count('SELECT 1 FROM users WHERE id = $1', userId)).toBe(0);
    expect(await count('SELECT 1 FROM sessions WHERE "userId" = $1', userId)).toBe(0);
    expect(await count('SELECT 1 FROM todos WHERE user_id = $1', userId)).toBe(0);
    expect(await count('SELECT 1 FROM verification_token WHERE identifier = $1', email)).toBe(0);
    expect(await count('SELECT 1 FROM sign_in_codes WHERE identifier = $1', email)).toBe(0);
  });

  it('prunes expired links, codes, sessions and rate-limit windows, and nothing live', async () => {
    const email = uniqueEmail('prune');
    const live = await signedIn(email);
    await new HttpClient(app.server.url).requestSignIn(uniqueEmail('stale'));
    const db = app.database!;
    await db.query(
      `UPDATE verification_token SET expires = now() - interval '1 minute' WHERE identifier LIKE 'stale.%'`,
    );
    await db.query(`UPDATE sign_in_codes SET expires = now() - interval '1 minute' WHERE identifier LIKE 'stale.%'`);
    await db.query(
      `INSERT INTO rate_limits (key, window_start, count, expires) VALUES ('test:old', now() - interval '2 hours', 1, now() - interval '1 hour')`,
    );
    const counts = await pruneExpired(db);
    expect(counts.verificationTokens).toBeGreaterThanOrEqual(1);
    expect(counts.signInCodes).toBeGreaterThanOrEqual(1);
    expect(counts.rateLimits).toBeGreaterThanOrEqual(1);
    expect((await db.query(`SELECT 1 FROM verification_token WHERE expires <= now()`)).rowCount).toBe(0);
    expect((await live.fetch('/api/todos')).status).toBe(200);
  });
});

describe.each(APP_MODES)("/account's forms from a revoked session (%s)", (mode) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(mode, { env: { SIGN_IN_EMAILS_PER_IP: '1000', SIGN_IN_EMAILS_PER_ADDRESS: '100' } });
  });
  afterAll(async () => app?.stop());

  /** Mails the app sent to `email` (the dev mailbox in local mode, the Resend stand-in otherwise). */
  async function mailsTo(email: string): Promise<number> {
    if (app.resend) return app.resend.calls.filter((call) => call.body.to.includes(email)).length;
    const response = await fetch(`${app.server.url}/dev/mailbox.json?to=${encodeURIComponent(email)}`);
    return ((await response.json()) as unknown[]).length;
  }

  it.each([
    ['sign-out-others', () => ({})],
    ['sign-out-everywhere', () => ({})],
    ['change-email', () => ({ email: 'revoked-new@example.com' })],
    ['delete-account', (email: string) => ({ confirm: email })],
  ])('%s: the sign-in redirect, and nothing changed', async (action, fields) => {
    const email = uniqueEmail(`revoked-${action}`);
    const revoked = await signInByMail(app, email);
    const kept = await signInByMail(app, email);
    expect((await kept.fetch('/account', { form: { action: 'sign-out-others' } })).headers.get('location')).toBe(
      '/account?ended=1',
    );
    const form = { action, ...fields(email) };
    const response = await revoked.fetch('/account', { form });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/signin?callbackUrl=%2Faccount');
    expect(revoked.sessionCookie()).toBeUndefined();
    // The other browser is still signed in, to the same account, with its one session.
    const page = await kept.fetch('/account');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(email);
    expect(html.match(/<li class="session/g)?.length).toBe(1);
    expect(await mailsTo('revoked-new@example.com')).toBe(0);
  });
});
