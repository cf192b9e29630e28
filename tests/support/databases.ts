/**
 * Fresh, migrated databases for integration tests, on both backends the app supports:
 * PGlite (in memory) and a real PostgreSQL reached through the Neon serverless driver.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import { migrate } from '#lib/db/migrate.server.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../db/migrations');

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

/** A new empty database on a backend (a new database on the throwaway cluster for `postgres`). */
export async function emptyDatabase(backend: Backend): Promise<{ database: Database; url?: string }> {
  if (backend === 'pglite') return { database: await openDatabase({ dataDir: 'memory://' }) };
  const { url, wsProxy } = inject('postgres');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url, wsProxy, poolMax: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = url.replace(/\/[^/]*$/, `/${name}`);
  return { database: await openDatabase({ url: dbUrl, wsProxy, poolMax: 5 }), url: dbUrl };
}

/** A new database with every migration applied. */
export async function migratedDatabase(backend: Backend): Promise<Database> {
  const { database } = await emptyDatabase(backend);
  await migrate(database, MIGRATIONS_DIR);
  return database;
}
