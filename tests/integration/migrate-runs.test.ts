/**
 * Migrations as operators run them: several instances starting at once, a failing file, and
 * `npm run db:migrate` with and without `--status`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import {
  appliedMigrations,
  migrate,
  MigrationChangedError,
  migrationStatus,
  readMigrations,
} from '#lib/db/migrate.server.ts';
import { BACKENDS, MIGRATIONS_DIR, emptyDatabase } from '../support/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const names = () => readMigrations(MIGRATIONS_DIR).map((m) => m.name);

/** The real migrations plus `extra` files, in a temporary directory. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const file of readdirSync(MIGRATIONS_DIR)) copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
  for (const [file, sql] of Object.entries(extra)) writeFileSync(path.join(dir, file), sql);
  return dir;
}

describe.each(BACKENDS)('migrations on %s', (backend) => {
  let database: Database | undefined;
  afterEach(async () => database?.end());

  it('runs each file in its own transaction: a failing file leaves no trace and the earlier ones stay', async () => {
    ({ database } = await emptyDatabase(backend));
    const dir = migrationsWith({
      '9999_broken.sql': 'CREATE TABLE broken_probe (id int);\nSELECT * FROM no_such_table;',
    });
    try {
      await expect(migrate(database, dir)).rejects.toThrow(/no_such_table/);
      expect([...(await appliedMigrations(database))]).toEqual(names());
      const { rows } = await database.query<{ found: boolean }>(
        `SELECT to_regclass('broken_probe') IS NOT NULL AS found`,
      );
      expect(rows[0]!.found).toBe(false);
      expect((await migrationStatus(database, readMigrations(dir))).pending).toEqual(['9999_broken']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports status without creating anything on an empty database', async () => {
    ({ database } = await emptyDatabase(backend));
    expect(await migrationStatus(database, readMigrations(MIGRATIONS_DIR))).toEqual({
      applied: [],
      pending: names(),
      unknown: [],
      changed: [],
    });
    const { rows } = await database.query<{ found: boolean }>(
      `SELECT to_regclass('schema_migrations') IS NOT NULL AS found`,
    );
    expect(rows[0]!.found).toBe(false);
  });
});

describe.each(BACKENDS)('migration checksums on %s', (backend) => {
  let database: Database | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await database?.end();
    database = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const recorded = async (db: Database) =>
    Object.fromEntries(
      (
        await db.query<{ name: string; checksum: string | null }>('SELECT name, checksum FROM schema_migrations')
      ).rows.map((r) => [r.name, r.checksum]),
    );
  const sha256 = (file: string) =>
    createHash('sha256')
      .update(readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'))
      .digest('hex');

  it('records the SHA-256 of each file it applies', async () => {
    ({ database } = await emptyDatabase(backend));
    await migrate(database, MIGRATIONS_DIR);
    const expected = Object.fromEntries(
      readdirSync(MIGRATIONS_DIR).map((file) => [file.replace(/\.sql$/, ''), sha256(file)]),
    );
    expect(await recorded(database)).toEqual(expected);
  });

  it('refuses to run when an applied migration was edited, naming the file and what to do instead', async () => {
    ({ database } = await emptyDatabase(backend));
    const dir = migrationsWith({});
    dirs.push(dir);
    await migrate(database, dir);
    const [, second] = readdirSync(dir).sort();
    writeFileSync(
      path.join(dir, second!),
      `${readFileSync(path.join(dir, second!), 'utf8')}\n-- a harmless-looking edit\n`,
    );
    writeFileSync(path.join(dir, '9999_later.sql'), 'CREATE TABLE later_probe (id int);');

    const failure = await migrate(database, dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationChangedError);
    expect((failure as Error).message).toMatch(
      new RegExp(`Migration \\S*${second!.replace('.', '\\.')} was edited after being applied`),
    );
    expect((failure as Error).message).toMatch(/Restore the file[\s\S]*new migration, e\.g\. 10000?_/);
    // Nothing after the check ran: the later migration is still pending.
    expect((await migrationStatus(database, readMigrations(dir))).pending).toEqual(['9999_later']);
    expect((await migrationStatus(database, readMigrations(dir))).changed).toEqual([second!.replace(/\.sql$/, '')]);
  });

  it('records checksums for a database migrated before they existed, then guards it like any other', async () => {
    ({ database } = await emptyDatabase(backend));
    await migrate(database, MIGRATIONS_DIR);
    // What an older version of the runner left: the table without the column.
    await database.query('ALTER TABLE schema_migrations DROP COLUMN checksum');
    expect(await migrationStatus(database, readMigrations(MIGRATIONS_DIR))).toMatchObject({ pending: [], changed: [] });
    expect(await migrate(database, MIGRATIONS_DIR)).toEqual([]);
    expect(Object.values(await recorded(database)).every((checksum) => /^[0-9a-f]{64}$/.test(checksum ?? ''))).toBe(
      true,
    );

    // A row another (older) instance recorded without a checksum is filled in too.
    const [first] = names();
    await database.query('UPDATE schema_migrations SET checksum = NULL WHERE name = $1', [first]);
    await migrate(database, MIGRATIONS_DIR);
    expect((await recorded(database))[first!]).toBe(sha256(`${first}.sql`));
  });
});

describe('migrations on postgres, as instances and operators run them', () => {
  const opened: Database[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.end()));
  });

  it('applies every file exactly once when four instances start at once', async () => {
    const { database, url } = await emptyDatabase('postgres');
    opened.push(database);
    const runners = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ url, wsProxy: inject('postgres').wsProxy, poolMax: 2 })),
    );
    opened.push(...runners);
    const results = await Promise.all([database, ...runners].map((d) => migrate(d, MIGRATIONS_DIR)));
    expect(results.flat().sort()).toEqual(names());
    const { rows } = await database.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(names());
  });

  it('npm run db:migrate -- --status lists pending, then applied; db:migrate applies them', async () => {
    const { database, url } = await emptyDatabase('postgres');
    opened.push(database);
    // Only the database settings: a release step has no mail or auth configuration.
    const env = { PATH: process.env.PATH, DATABASE_URL: url!, NEON_WS_PROXY: inject('postgres').wsProxy };
    const cli = (...args: string[]) => run(process.execPath, ['scripts/db-migrate.ts', ...args], { cwd: ROOT, env });

    const before = await cli('--status');
    for (const name of names()) expect(before.stdout).toContain(`pending  ${name}`);
    expect(before.stdout).toContain(`0 applied, ${names().length} pending.`);

    const applied = await cli();
    expect(applied.stdout).toContain(`Applied: ${names().join(', ')}`);

    const after = await cli('--status');
    for (const name of names()) expect(after.stdout).toContain(`applied  ${name}`);
    expect(after.stdout).toContain(`${names().length} applied, 0 pending.`);
  });

  it.each([
    [
      'Postgres is not there (through the proxy)',
      () => 'postgres://nobody@127.0.0.1:1/none',
      () => inject('postgres').wsProxy,
      /db:migrate failed: Cannot reach the database none at 127\.0\.0\.1:1 as nobody: Connection terminated unexpectedly\. The WebSocket proxy at \S+ could not reach Postgres/,
    ],
    [
      'a plain Postgres URL without NEON_WS_PROXY',
      () => `postgres://postgres@127.0.0.1:${inject('postgres').port}/postgres`,
      () => undefined,
      /db:migrate failed: Cannot reach the database postgres at 127\.0\.0\.1:\d+ as postgres: connect ECONNREFUSED 127\.0\.0\.1:443\. [\s\S]*NEON_WS_PROXY=host:port\/v1/,
    ],
    [
      'no such database',
      () => inject('postgres').url.replace(/\/[^/]*$/, '/no_such_db'),
      () => inject('postgres').wsProxy,
      /db:migrate failed: Cannot reach the database no_such_db [\s\S]*database "no_such_db" does not exist[\s\S]*no database named no_such_db/,
    ],
  ])('db:migrate explains an unreachable database (%s) and exits 1', async (_label, url, proxy, expected) => {
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, DATABASE_URL: url() };
    const wsProxy = proxy();
    if (wsProxy) env.NEON_WS_PROXY = wsProxy;
    const failure = await run(process.execPath, ['scripts/db-migrate.ts', '--status'], { cwd: ROOT, env }).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(expected) });
  });

  it('db:migrate and --status stop on an edited migration, naming it', async () => {
    const { database, url } = await emptyDatabase('postgres');
    opened.push(database);
    const dir = migrationsWith({});
    try {
      await migrate(database, dir);
      const [first] = readdirSync(dir).sort();
      writeFileSync(path.join(dir, first!), 'CREATE TABLE edited (id int);');
      const env = {
        PATH: process.env.PATH,
        DATABASE_URL: url!,
        NEON_WS_PROXY: inject('postgres').wsProxy,
        MIGRATIONS_DIR: dir,
      };
      for (const args of [[], ['--status']]) {
        const failure = await run(process.execPath, ['scripts/db-migrate.ts', ...args], { cwd: ROOT, env }).catch(
          (e: unknown) => e,
        );
        expect(failure).toMatchObject({
          code: 1,
          stderr: expect.stringMatching(new RegExp(`db:migrate failed: Migration \\S*${first}`)),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
