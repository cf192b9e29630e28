/**
 * Applies `db/migrations/NNNN_name.sql` in order, each file in its own transaction, and records
 * each one in `schema_migrations` with the SHA-256 of its text. Running it again is a no-op.
 *
 * A migration that has run must never change: the database will not run the new text, so an edit
 * silently splits "what the files say" from "what the database is". Every run compares the
 * recorded checksums with the files first and refuses to go on if one differs
 * (MigrationChangedError). Databases migrated before checksums existed get theirs recorded on the
 * first run (the files are trusted then, as they were before).
 *
 * Safe when several instances start at once: each transaction first takes a transaction-scoped
 * advisory lock and re-checks whether the file was applied while it waited.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database, Queryable } from './types.ts';

/** Arbitrary constant shared by every instance of this app: "migrations" lock. */
const MIGRATION_LOCK_KEY = 7_346_221_901;
const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 (hex) of the file's text, line endings normalised (a CRLF checkout is the same file). */
  checksum: string;
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Reads the migration files in name order; rejects names that don't follow NNNN_name.sql. */
export function readMigrations(dir: string): Migration[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    if (!FILE_PATTERN.test(file)) {
      throw new Error(`Migration file name ${file} must look like 0001_short_name.sql`);
    }
    const sql = readFileSync(path.join(dir, file), 'utf8');
    return { name: file.replace(/\.sql$/, ''), sql, checksum: checksumOf(sql) };
  });
}

/** One or more applied migrations whose file no longer matches what ran. */
export class MigrationChangedError extends Error {
  override name = 'MigrationChangedError';
  readonly changed: string[];
  constructor(changed: string[], dir: string, next: string) {
    const files = changed.map((name) => path.join(path.relative(process.cwd(), dir) || '.', `${name}.sql`));
    super(
      `${files.length === 1 ? `Migration ${files[0]} was` : `Migrations ${files.join(', ')} were`} edited after ` +
        `being applied to this database (the checksum recorded when it ran differs from the file's). The database will ` +
        `not run a migration twice, so the edit would never reach it. Restore the file as it was (git checkout -- ` +
        `${files.join(' ')}) and write the change as a new migration, e.g. ${next}_describe_the_change.sql.`,
    );
    this.changed = changed;
  }
}

/** The number the next migration file takes (one above the highest). */
function nextNumber(migrations: Migration[]): string {
  const highest = Math.max(0, ...migrations.map((m) => Number(m.name.slice(0, 4))));
  return String(highest + 1).padStart(4, '0');
}

// The bookkeeping table is the runner's own (not a migration's): `checksum` was added after
// databases existed, hence ADD COLUMN IF NOT EXISTS, and it stays nullable for rows written
// before it (filled in on the next run).
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now(),
  checksum text
)`;
const ADD_CHECKSUM = 'ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text';

/**
 * The migrations recorded in the database with their checksums (null: recorded before checksums
 * existed); empty before the first run. Read-only (`SELECT *` works with or without the column).
 */
export async function recordedMigrations(database: Queryable): Promise<Map<string, string | null>> {
  const { rows: present } = await database.query<{ found: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS found`,
  );
  if (!present[0]?.found) return new Map();
  const { rows } = await database.query<{ name: string; checksum?: string | null }>(
    'SELECT * FROM schema_migrations ORDER BY name',
  );
  return new Map(rows.map((row) => [row.name, row.checksum ?? null]));
}

/** Names of the migrations recorded in the database (none before the first run). Read-only. */
export async function appliedMigrations(database: Queryable): Promise<Set<string>> {
  return new Set((await recordedMigrations(database)).keys());
}

/** Applied migrations whose file's checksum differs from the one recorded when they ran. */
function changedMigrations(migrations: Migration[], recorded: Map<string, string | null>): string[] {
  return migrations
    .filter((m) => {
      const checksum = recorded.get(m.name);
      return checksum != null && checksum !== m.checksum;
    })
    .map((m) => m.name);
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Recorded in the database but without a file here (a newer build migrated it): harmless. */
  unknown: string[];
  /** Applied, but the file was edited since (see MigrationChangedError). */
  changed: string[];
}

/** Compares the migration files with what the database recorded. */
export async function migrationStatus(database: Queryable, migrations: Migration[]): Promise<MigrationStatus> {
  const recorded = await recordedMigrations(database);
  const names = new Set(migrations.map((m) => m.name));
  return {
    applied: migrations.filter((m) => recorded.has(m.name)).map((m) => m.name),
    pending: migrations.filter((m) => !recorded.has(m.name)).map((m) => m.name),
    unknown: [...recorded.keys()].filter((name) => !names.has(name)),
    changed: changedMigrations(migrations, recorded),
  };
}

/** Throws MigrationChangedError when an applied migration's file was edited (`changed` from migrationStatus). */
export function assertUnchanged(changed: string[], migrations: Migration[], dir: string): void {
  if (changed.length > 0) throw new MigrationChangedError(changed, dir, nextNumber(migrations));
}

/** Every migration applied by this process so far (local mode migrates as it opens, the server again). */
const appliedByThisProcess = new Set<string>();
export function migrationsAppliedByThisProcess(): string[] {
  return [...appliedByThisProcess];
}

/**
 * Applies the pending migrations from `dir`, each file in its own transaction; returns the names
 * it applied. Every transaction first takes the advisory lock, then (re)creates the bookkeeping
 * table and re-checks the file: two instances starting at once serialize on the lock, and the
 * second finds the work done. (`CREATE TABLE IF NOT EXISTS` itself is not safe to race.) The lock
 * is transaction-scoped, so it also works through a transaction-mode pooler such as Neon's.
 */
export async function migrate(database: Database, dir: string): Promise<string[]> {
  const migrations = readMigrations(dir);
  const recorded = await recordedMigrations(database);
  assertUnchanged(changedMigrations(migrations, recorded), migrations, dir);

  // Rows from before checksums: record the files' now (once; racing instances write the same values).
  const unrecorded = migrations.filter((m) => recorded.has(m.name) && recorded.get(m.name) == null);
  if (unrecorded.length > 0) {
    await database.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.query(ADD_CHECKSUM);
      for (const m of unrecorded) {
        await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE name = $1 AND checksum IS NULL', [
          m.name,
          m.checksum,
        ]);
      }
    });
  }

  const applied: string[] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.name)) continue;
    const ran = await database.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.query(CREATE_TABLE);
      await tx.query(ADD_CHECKSUM);
      const already = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [migration.name]);
      if (already.rowCount > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (ran) {
      applied.push(migration.name);
      appliedByThisProcess.add(migration.name);
    }
  }
  return applied;
}
