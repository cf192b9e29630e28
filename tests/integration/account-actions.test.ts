/**
 * The /account forms (src/lib/account/account-actions.server.ts) on both backends: each action's
 * outcome and its effect on the database, the typed-address check, and an oversized body.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_FORM_MAX_BYTES, handleAccountForm } from '#lib/account/account-actions.server.ts';
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
  let ann: { user: { id: number; email: string; name: null }; token: string };
  const count = async (sql: string) =>
    Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`)).rows[0]!.n);

  beforeAll(async () => {
    database = await migratedDatabase(backend);
  });
  beforeEach(async () => {
    await database.query('TRUNCATE users, verification_token, sign_in_codes RESTART IDENTITY CASCADE');
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
    ann = { user: { id, email: EMAIL, name: null }, token: 'this-browser' };
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
    ['rename-me', {}, { location: '/account?error=unknown-action', signedOut: false }, { sessions: 3, users: 1 }],
  ])('%s %o → %o, leaving %o', async (action, extra, outcome, left) => {
    expect(await handleAccountForm(database, ann, post({ action, ...extra }), '127.0.0.1')).toEqual(outcome);
    expect(await count('sessions')).toBe(left.sessions);
    expect(await count('users')).toBe(left.users);
    expect(await count('todos')).toBe(left.users); // todos go with the account
  });

  it('refuses an oversized form with 413 and changes nothing (it is not an "unknown action")', async () => {
    const big = post({ action: 'sign-out-everywhere', padding: 'x'.repeat(ACCOUNT_FORM_MAX_BYTES) });
    const outcome = await handleAccountForm(database, ann, big, '127.0.0.1');
    expect(outcome).toMatchObject({ status: 413, message: expect.stringContaining('too large') });
    expect(await count('sessions')).toBe(3);
  });
});
