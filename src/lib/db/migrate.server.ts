/**
 * Applies `db/migrations/NNNN_name.sql` in order, each file in its own transaction, and records
 * each one in `schema_migrations`. Running it again is a no-op.
 *
 * Safe when several instances start at once: each transaction first takes a transaction-scoped
 * advisory lock and re-checks whether the file was applied while it waited.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database, Queryable } from './types.ts';

/** Arbitrary constant shared by every instance of this app: "migrations" lock. */
const MIGRATION_LOCK_KEY = 7_346_221_901;
const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  name: string;
  sql: string;
}

/** `db/migrations` under the working directory (the project root for every npm script). */
export function defaultMigrationsDir(): string {
  return path.resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations');
}

/** Reads the migration files in name order; rejects names that don't follow NNNN_name.sql. */
export function readMigrations(dir: string): Migration[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.sql')).sort();
  return files.map((file) => {
    if (!FILE_PATTERN.test(file)) {
      throw new Error(`Migration file name ${file} must look like 0001_short_name.sql`);
    }
    return { name: file.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, file), 'utf8') };
  });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Names of the migrations recorded in the database (none before the first run). Read-only. */
export async function appliedMigrations(database: Queryable): Promise<Set<string>> {
  const { rows: present } = await database.query<{ found: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS found`,
  );
  if (!present[0]?.found) return new Set();
  const { rows } = await database.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  return new Set(rows.map((row) => row.name));
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Recorded in the database but without a file here (a newer build migrated it): harmless. */
  unknown: string[];
}

/** Compares the migration files with what the database recorded. */
export async function migrationStatus(database: Queryable, migrations: Migration[]): Promise<MigrationStatus> {
  const done = await appliedMigrations(database);
  const names = new Set(migrations.map((m) => m.name));
  return {
    applied: migrations.filter((m) => done.has(m.name)).map((m) => m.name),
    pending: migrations.filter((m) => !done.has(m.name)).map((m) => m.name),
    unknown: [...done].filter((name) => !names.has(name)),
  };
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
  const done = await appliedMigrations(database);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    const ran = await database.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.query(CREATE_TABLE);
      const already = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [migration.name]);
      if (already.rowCount > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
