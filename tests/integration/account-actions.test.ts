/**
 * The /account forms (src/lib/account/account-actions.server.ts) on both backends: each action's
 * outcome and its effect on the database, the typed-address check, an oversized body, and the
 * session check inside each action's statement (a revoked or expired session changes nothing).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_FORM_MAX_BYTES, handleAccountForm } from '#lib/account/account-actions.server.ts';
import { sessionOwner } from '#lib/auth/session-owner.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import type { Database } from '#lib/db/index.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';

const HOUR = 3_600_000;
const EMAIL = 'ann@example.com';

const post = (fields: Record<string, string>) =>
  new Request('http://localhost/account', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe.each(BACKENDS)('account forms on %s', (backend) => {
  let database: Database;
  /** This browser's session: a fresh owner per statement, as per request. */
  const ann = () => sessionOwner('this-browser');
  const count = async (sql: string) =>
    Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`)).rows[0]!.n);

  beforeAll(async () => {
    database = await migratedDatabase(backend);
  });
  beforeEach(async () => {
    await database.query('TRUNCATE users, verification_token, sign_in_codes, rate_limits RESTART IDENTITY CASCADE');
    const id = (await database.query<{ id: number }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [EMAIL]))
      .rows[0]!.id;
    for (const token of ['this-browser', 'phone', 'tablet']) {
      await database.query('INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, $3)', [
        id,
        hashSessionToken(token),
        new Date(Date.now() + HOUR),
      ]);
    }
    await database.query('INSERT INTO todos (user_id, content) VALUES ($1, $2)', [id, 'keep me?']);
  });
  afterAll(async () => database?.end());

  it.each([
    ['sign-out-others', {}, { location: '/account?ended=2', signedOut: false }, { sessions: 1, users: 1 }],
    ['sign-out-everywhere', {}, { location: '/', signedOut: true }, { sessions: 0, users: 1 }],
    [
      'delete-account',
      { confirm: 'someone@example.com' },
      { location: '/account?confirm-delete=1&error=mismatch#delete', signedOut: false },
      { sessions: 3, users: 1 },
    ],
    [
      'delete-account',
      { confirm: ' ANN@example.com ' },
      { location: '/account/deleted', signedOut: true },
      { sessions: 0, users: 0 },
    ],
    // The address rule is sign-in's (NFKC): full-width letters are the ASCII ones.
    [
      'delete-account',
      { confirm: 'ａｎｎ@example.com' },
      { location: '/account/deleted', signedOut: true },
      { sessions: 0, users: 0 },
    ],
    [
      'change-email',
      { email: 'Ann@Example.com' },
      { location: '/account?email-error=same&email=ann%40example.com#change-email', signedOut: false },
      { sessions: 3, users: 1 },
    ],
    ['rename-me', {}, { location: '/account?error=unknown-action', signedOut: false }, { sessions: 3, users: 1 }],
  ])('%s %o → %o, leaving %o', async (action, extra, outcome, left) => {
    expect(await handleAccountForm(database, ann(), post({ action, ...extra }), '127.0.0.1')).toEqual(outcome);
    expect(await count('sessions')).toBe(left.sessions);
    expect(await count('users')).toBe(left.users);
    expect(await count('todos')).toBe(left.users); // todos go with the account
  });

  it('refuses an oversized form with 413 and changes nothing (it is not an "unknown action")', async () => {
    const big = post({ action: 'sign-out-everywhere', padding: 'x'.repeat(ACCOUNT_FORM_MAX_BYTES) });
    const outcome = await handleAccountForm(database, ann(), big, '127.0.0.1');
    expect(outcome).toMatchObject({ status: 413, message: expect.stringContaining('too large') });
    expect(await count('sessions')).toBe(3);
  });

  const ACTIONS: Array<[string, Record<string, string>]> = [
    ['sign-out-others', {}],
    ['sign-out-everywhere', {}],
    ['change-email', { email: 'new@example.com' }],
    ['delete-account', { confirm: EMAIL }],
  ];
  const left = async () => ({
    sessions: await count('sessions'),
    users: await count('users'),
    changes: await count('email_changes'),
    hits: await count('rate_limits'),
  });

  it.each(ACTIONS)('a revoked session posting %s: no session (sign in), nothing changed', async (action, extra) => {
    await database.query('DELETE FROM sessions WHERE "sessionToken" = $1', [hashSessionToken('this-browser')]);
    expect(await handleAccountForm(database, ann(), post({ action, ...extra }), '127.0.0.1')).toBeNull();
    expect(await left()).toEqual({ sessions: 2, users: 1, changes: 0, hits: 0 });
  });

  it.each(ACTIONS)(
    'an expired session posting %s: no session, its row deleted, nothing else changed',
    async (action, extra) => {
      await database.query(`UPDATE sessions SET expires = now() - interval '1 minute' WHERE "sessionToken" = $1`, [
        hashSessionToken('this-browser'),
      ]);
      expect(await handleAccountForm(database, ann(), post({ action, ...extra }), '127.0.0.1')).toBeNull();
      expect(await left()).toEqual({ sessions: 2, users: 1, changes: 0, hits: 0 });
    },
  );

  it.each([
    ['sign-out-everywhere', {}, 0, 1],
    ['delete-account', { confirm: EMAIL }, 0, 0],
  ])('%s with a session due for extension ends that session too', async (action, extra, sessions, users) => {
    // Last extended two days ago: the statement's session check extends it as it runs.
    await database.query(`UPDATE sessions SET expires = now() + interval '28 days' WHERE "sessionToken" = $1`, [
      hashSessionToken('this-browser'),
    ]);
    expect(await handleAccountForm(database, ann(), post({ action, ...extra }), '127.0.0.1')).toMatchObject({
      signedOut: true,
    });
    expect(await count('sessions')).toBe(sessions);
    expect(await count('users')).toBe(users);
  });
});
