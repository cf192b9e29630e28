import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { appliedMigrations, migrate, readMigrations } from '#lib/db/migrate.server.ts';
import { BACKENDS, MIGRATIONS_DIR, emptyDatabase } from '../support/databases.ts';

describe.each(BACKENDS)('migrations on %s', (backend) => {
  let database: Database;
  afterEach(async () => database?.end());

  it('applies every file once, records it, and is a no-op the second time', async () => {
    ({ database } = await emptyDatabase(backend));
    const names = readMigrations(MIGRATIONS_DIR).map((m) => m.name);
    expect(await migrate(database, MIGRATIONS_DIR)).toEqual(names);
    expect(await migrate(database, MIGRATIONS_DIR)).toEqual([]);
    expect([...(await appliedMigrations(database))]).toEqual(names);
  });

  it('creates the tables @auth/pg-adapter queries, with the constraints its schema lacks', async () => {
    ({ database } = await emptyDatabase(backend));
    await migrate(database, MIGRATIONS_DIR);
    const { rows } = await database.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['accounts', 'schema_migrations', 'sessions', 'todos', 'users', 'verification_token']),
    );
    await database.query(`INSERT INTO users (email) VALUES ('a@example.com')`);
    await expect(database.query(`INSERT INTO users (email) VALUES ('a@example.com')`)).rejects.toThrow(/unique/i);
    await expect(database.query(`INSERT INTO todos (user_id, content) VALUES (999999, 'orphan')`)).rejects.toThrow(
      /foreign key/i,
    );
  });

  // PGlite is a single connection in one process: concurrent runners are a real-Postgres question.
  it.skipIf(backend === 'pglite')('is safe when two runners migrate the same database at once', async () => {
    const first = await emptyDatabase(backend);
    database = first.database;
    const { openDatabase } = await import('#lib/db/index.server.ts');
    const { inject } = await import('vitest');
    const second = await openDatabase({ url: first.url, wsProxy: inject('postgres').wsProxy });
    const [a, b] = await Promise.all([migrate(database, MIGRATIONS_DIR), migrate(second, MIGRATIONS_DIR)]);
    await second.end();
    expect([...a, ...b].sort()).toEqual(readMigrations(MIGRATIONS_DIR).map((m) => m.name));
  });
});
