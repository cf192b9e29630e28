/**
 * Operator commands (`npm run admin -- …`): the queries on both backends, and the command line
 * against real Postgres.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteUser, listUsers, revokeSessions, UnknownUserError } from '#lib/account/admin.server.ts';
import { pruneExpired } from '#lib/account/prune.server.ts';
import type { Database } from '#lib/db/index.server.ts';
import { migrate } from '#lib/db/migrate.server.ts';
import { BACKENDS, MIGRATIONS_DIR, emptyDatabase, migratedDatabase } from '../support/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOUR = 3_600_000;

/** Ann: 2 todos, one live and one expired session, one pending and one expired sign-in link. Bob: nothing. */
async function seed(database: Database) {
  const user = async (email: string) =>
    (await database.query<{ id: number }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [email])).rows[0]!.id;
  const ann = await user('ann@example.com');
  const bob = await user('bob@example.com');
  const session = (userId: number, token: string, offset: number) =>
    database.query('INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, $3)', [
      userId,
      token,
      new Date(Date.now() + offset),
    ]);
  await session(ann, 'ann-live', HOUR);
  await session(ann, 'ann-expired', -HOUR);
  for (const content of ['one', 'two'])
    await database.query('INSERT INTO todos (user_id, content) VALUES ($1, $2)', [ann, content]);
  await database.query('INSERT INTO todos (user_id, content) VALUES ($1, $2)', [bob, 'bob’s']);
  const token = (identifier: string, name: string, offset: number) =>
    database.query('INSERT INTO verification_token (identifier, token, expires) VALUES ($1, $2, $3)', [
      identifier,
      name,
      new Date(Date.now() + offset),
    ]);
  await token('ann@example.com', 'ann-pending', HOUR);
  await token('carol@example.com', 'carol-expired', -HOUR);
  return { ann, bob };
}

const count = async (database: Database, sql: string, params: unknown[] = []) =>
  Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0]!.n);

describe.each(BACKENDS)('admin queries on %s', (backend) => {
  // One database per backend (a PGlite takes seconds to open), emptied before each test.
  let database: Database;
  beforeAll(async () => {
    database = await migratedDatabase(backend);
  });
  beforeEach(async () => {
    await database.query('TRUNCATE users, verification_token, sign_in_codes, rate_limits RESTART IDENTITY CASCADE');
  });
  afterAll(async () => database?.end());

  it('lists users with todo counts, live sessions and the last sign-in (recorded as a session starts)', async () => {
    const { ann, bob } = await seed(database);
    const users = await listUsers(database);
    expect(users).toEqual([
      {
        id: ann,
        email: 'ann@example.com',
        createdAt: expect.any(Date),
        lastSignInAt: expect.any(Date),
        todos: 2,
        activeSessions: 1,
      },
      {
        id: bob,
        email: 'bob@example.com',
        createdAt: expect.any(Date),
        lastSignInAt: null,
        todos: 1,
        activeSessions: 0,
      },
    ]);
    expect(Math.abs(users[0]!.lastSignInAt!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('revokes every session of one user (email in any case), and no one else’s', async () => {
    const { bob } = await seed(database);
    await database.query('INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, $3)', [
      bob,
      'bob-live',
      new Date(Date.now() + HOUR),
    ]);
    expect(await revokeSessions(database, '  ANN@example.com ')).toBe(2);
    expect(await count(database, 'sessions')).toBe(1);
    expect(await revokeSessions(database, 'ann@example.com')).toBe(0);
  });

  it('finds a user by the same address rule as sign-in (NFKC: full-width letters are the ASCII ones)', async () => {
    await seed(database);
    // What a sign-in with "ＡＮＮ@example.com" stores is ann@example.com; the operator typing it finds her.
    expect(await revokeSessions(database, 'ＡＮＮ@example.com')).toBe(2);
  });

  it('deletes a user with their todos, sessions and pending sign-in links; others stay', async () => {
    const { ann, bob } = await seed(database);
    expect(await deleteUser(database, 'ann@example.com')).toEqual({ id: ann, todos: 2 });
    expect(await count(database, 'users')).toBe(1);
    expect(await count(database, 'todos WHERE user_id = $1', [ann])).toBe(0);
    expect(await count(database, 'todos WHERE user_id = $1', [bob])).toBe(1);
    expect(await count(database, 'sessions')).toBe(0);
    expect(await count(database, `verification_token WHERE identifier = 'ann@example.com'`)).toBe(0);
  });

  it.each([
    ['revokeSessions', (d: Database) => revokeSessions(d, 'nobody@example.com')],
    ['deleteUser', (d: Database) => deleteUser(d, 'nobody@example.com')],
  ])('%s names an unknown user clearly and changes nothing', async (_name, action) => {
    await seed(database);
    const error = await action(database).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownUserError);
    expect((error as Error).message).toContain('No user with the email address nobody@example.com');
    expect(await count(database, 'users')).toBe(2);
    expect(await count(database, 'sessions')).toBe(2);
  });

  it('prunes (through prune.server.ts) expired sessions and sign-in tokens only', async () => {
    await seed(database);
    expect(await pruneExpired(database)).toEqual({
      sessions: 1,
      verificationTokens: 1,
      signInCodes: 0,
      rateLimits: 0,
      deletedTodos: 0,
      passkeyChallenges: 0,
      emailChanges: 0,
    });
    expect(await pruneExpired(database)).toEqual({
      sessions: 0,
      verificationTokens: 0,
      signInCodes: 0,
      rateLimits: 0,
      deletedTodos: 0,
      passkeyChallenges: 0,
      emailChanges: 0,
    });
    expect(await count(database, 'sessions')).toBe(1);
    expect(await count(database, 'verification_token')).toBe(1);
  });
});

describe('npm run admin on postgres', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.end();
    database = undefined;
  });

  const admin = async (url: string, ...args: string[]) => {
    const env = { PATH: process.env.PATH, DATABASE_URL: url, NEON_WS_PROXY: inject('postgres').wsProxy };
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['scripts/admin.ts', ...args], { cwd: ROOT, env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  };

  it('runs each command, and answers misuse and unknown users with a message and a non-zero exit', async () => {
    const fresh = await emptyDatabase('postgres');
    database = fresh.database;
    const url = fresh.url!;
    expect(await admin(url, 'users')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('run npm run db:migrate first'),
    });
    await migrate(database, MIGRATIONS_DIR);
    await seed(database);

    const users = await admin(url, 'users');
    expect(users.code).toBe(0);
    expect(users.stdout).toMatch(/id\temail\ttodos\tsessions\tlast sign-in\tcreated/);
    expect(users.stdout).toMatch(/\tann@example\.com\t2\t1\t\d{4}-\d\d-\d\dT/);
    expect(users.stdout).toMatch(/\tbob@example\.com\t1\t0\tnever\t/);
    expect(users.stdout).toContain('2 users');

    expect(await admin(url, 'revoke-sessions', 'nobody@example.com')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No user with the email address nobody@example.com'),
    });
    expect(await admin(url, 'revoke-sessions', 'ann@example.com')).toMatchObject({
      code: 0,
      stdout: 'Revoked 2 sessions of ann@example.com.\n',
    });
    expect(await admin(url, 'prune')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        'Deleted 0 expired sessions, 1 sign-in links, 0 sign-in codes, 0 rate-limit windows, 0 email-change links, 0 passkey challenges and 0 deleted todos past their undo window.',
      ),
    });
    expect(await admin(url, 'delete-user', 'bob@example.com')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--yes'),
    });
    expect(await admin(url, 'delete-user', 'bob@example.com', '--yes')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/Deleted user \d+ \(bob@example.com\) and 1 todo\./),
    });
    expect(await admin(url, 'frobnicate')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown command: frobnicate'),
    });
    expect(await admin(url, 'revoke-sessions')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('exactly one email'),
    });
    expect(await count(database, 'users')).toBe(1);
  });

  it.each([['--help'], ['help'], ['-h'], ['users', '--help']])(
    'admin %s prints the usage (commands, --json, which database) and exits 0',
    async (...args) => {
      const result = await admin('postgres://unused@127.0.0.1:1/none', ...args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: npm run admin -- <command>/);
      expect(result.stdout).toContain('users [--json]');
      expect(result.stdout).toMatch(/DATABASE_URL[\s\S]*DATA_DIR/);
    },
  );

  it('npm run admin -- --help goes through npm to the same usage', async () => {
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        'npm',
        ['run', '--silent', 'admin', '--', '--help'],
        { cwd: ROOT, env: { PATH: process.env.PATH } },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('users [--json]') });
  });

  it('names the database it acts on (on stderr, so --json output stays parseable)', async () => {
    const fresh = await emptyDatabase('postgres');
    database = fresh.database;
    await migrate(database, MIGRATIONS_DIR);
    const result = await admin(fresh.url!, 'users', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toContain(
      `admin users: the Postgres database ${new URL(fresh.url!).pathname.slice(1)} at 127.0.0.1`,
    );
  });
});
