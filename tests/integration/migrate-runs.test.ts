/**
 * Migrations as operators run them: several instances starting at once, a failing file, and
 * `npm run db:migrate` with and without `--status`.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import { appliedMigrations, migrate, migrationStatus, readMigrations } from '#lib/db/migrate.server.ts';
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
    const dir = migrationsWith({ '9999_broken.sql': 'CREATE TABLE broken_probe (id int);\nSELECT * FROM no_such_table;' });
    try {
      await expect(migrate(database, dir)).rejects.toThrow(/no_such_table/);
      expect([...(await appliedMigrations(database))]).toEqual(names());
      const { rows } = await database.query<{ found: boolean }>(`SELECT to_regclass('broken_probe') IS NOT NULL AS found`);
      expect(rows[0]!.found).toBe(false);
      expect((await migrationStatus(database, readMigrations(dir))).pending).toEqual(['9999_broken']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports status without creating anything on an empty database', async () => {
    ({ database } = await emptyDatabase(backend));
    expect(await migrationStatus(database, readMigrations(MIGRATIONS_DIR))).toEqual({ applied: [], pending: names(), unknown: [] });
    const { rows } = await database.query<{ found: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS found`);
    expect(rows[0]!.found).toBe(false);
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

  it('db:migrate fails with a clear message and exit code 1 when the database is unreachable', async () => {
    const env = { PATH: process.env.PATH, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', NEON_WS_PROXY: inject('postgres').wsProxy };
    const failure = await run(process.execPath, ['scripts/db-migrate.ts', '--status'], { cwd: ROOT, env }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('db:migrate failed: The database is unavailable.') });
  });
});
