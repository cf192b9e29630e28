/**
 * Session tokens at rest (issue #10), end to end on the production build and real Postgres: after
 * a real email sign-in the sessions row holds SHA-256 (hex) of the cookie, not the cookie; the raw
 * cookie still signs every request in, and both sign-out paths (ours and Auth.js's) still end it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp, signInByMail } from '../support/running-app.ts';
import { uniqueEmail } from '../support/users.ts';

const sha256 = (raw: string) => createHash('sha256').update(raw, 'utf8').digest('hex');

describe('session tokens at rest', () => {
  let app: RunningApp;
  const signedIn = (email: string) => signInByMail(app, email);
  const storedTokens = async (email: string) =>
    (
      await app.database!.query<{ sessionToken: string }>(
        'SELECT s."sessionToken" FROM sessions s JOIN users u ON u.id = s."userId" WHERE u.email = $1',
        [email],
      )
    ).rows.map((row) => row.sessionToken);

  beforeAll(async () => {
    app = await startApp('postgres', { env: { SIGN_IN_EMAILS_PER_IP: '1000', SIGN_IN_EMAILS_PER_ADDRESS: '100' } });
  });
  afterAll(async () => app?.stop());

  it('stores SHA-256 of the cookie after a real sign-in, and the raw cookie works', async () => {
    const email = uniqueEmail('hashed');
    const client = await signedIn(email);
    const cookie = client.sessionCookie()!;
    const tokens = await storedTokens(email);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).not.toBe(cookie);
    expect(tokens[0]).toBe(sha256(cookie));

    expect((await client.fetch('/api/todos')).status).toBe(200);
    // Auth.js's own session endpoint reads through the same adapter.
    const session = (await (await client.fetch('/api/auth/session')).json()) as { user?: { email: string } } | null;
    expect(session?.user?.email).toBe(email);
    // The stored value, presented as a cookie, is nobody's session.
    const thief = new HttpClient(app.server.url);
    thief.cookies.set('authjs.session-token', tokens[0]!);
    expect((await thief.fetch('/api/todos')).status).toBe(401);
  });

  it('ends the session on /signout', async () => {
    const email = uniqueEmail('signout');
    const client = await signedIn(email);
    const cookie = client.sessionCookie()!;
    expect((await client.fetch('/signout', { form: {} })).status).toBe(303);
    expect(await storedTokens(email)).toEqual([]);
    const replay = new HttpClient(app.server.url);
    replay.cookies.set('authjs.session-token', cookie);
    expect((await replay.fetch('/api/todos')).status).toBe(401);
  });

  it('ends the session through Auth.js’s own sign-out endpoint', async () => {
    const email = uniqueEmail('authjs-signout');
    const client = await signedIn(email);
    const { csrfToken } = (await (await client.fetch('/api/auth/csrf')).json()) as { csrfToken: string };
    await client.fetch('/api/auth/signout', { form: { csrfToken } });
    expect(await storedTokens(email)).toEqual([]);
  });

  it('marks this session on /account and ends only the others', async () => {
    const email = uniqueEmail('others');
    const laptop = await signedIn(email);
    const phone = await signedIn(email);
    const page = await (await laptop.fetch('/account')).text();
    expect(page.match(/This device/g)?.length).toBe(1);
    expect((await laptop.fetch('/account', { form: { action: 'sign-out-others' } })).headers.get('location')).toBe(
      '/account?ended=1',
    );
    expect(await storedTokens(email)).toEqual([sha256(laptop.sessionCookie()!)]);
    expect((await laptop.fetch('/api/todos')).status).toBe(200);
    expect((await phone.fetch('/api/todos')).status).toBe(401);
  });
});
