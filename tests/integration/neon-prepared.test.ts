/**
 * Postgres through the Neon driver (src/lib/db/neon.server.ts): a parameterized statement is parsed
 * and planned once per connection, then only bound and run (a named prepared statement) — the
 * session statement costs Postgres more to plan than to run. Statements without parameters and
 * scripts keep the simple protocol (a script may hold several statements), and an error in one
 * statement does not poison the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { migratedDatabase } from '../support/databases.ts';

let database: Database;
beforeAll(async () => {
  database = await migratedDatabase('postgres');
});
afterAll(async () => {
  await database?.end();
});

/** The statements prepared on the connection that runs this, by their text. */
async function prepared(run: Database['transaction']): Promise<string[]> {
  return run(async (tx) => {
    const { rows } = await tx.query<{ statement: string }>(
      'SELECT statement FROM pg_prepared_statements WHERE statement LIKE $1 ORDER BY prepare_time',
      ['%prepared-probe%'],
    );
    return rows.map((row) => row.statement);
  });
}

describe('prepared statements (Neon driver)', () => {
  it('prepares a parameterized statement once per connection and reuses it', async () => {
    const text = "SELECT $1::int + 1 AS n, 'prepared-probe' AS tag";
    await database.transaction(async (tx) => {
      expect((await tx.query<{ n: number }>(text, [1])).rows[0]!.n).toBe(2);
      expect((await tx.query<{ n: number }>(text, [41])).rows[0]!.n).toBe(42);
      const { rows } = await tx.query<{ statement: string }>(
        'SELECT statement FROM pg_prepared_statements WHERE statement = $1',
        [text],
      );
      expect(rows).toHaveLength(1);
    });
  });

  it('leaves statements without parameters and scripts unprepared', async () => {
    await database.exec("SELECT 'prepared-probe script'; SELECT 2;");
    await database.query("SELECT 'prepared-probe plain'");
    expect((await prepared(database.transaction)).filter((s) => !s.includes('$'))).toEqual([]);
  });

  it('answers the next statement normally after one failed at parse or at run', async () => {
    await expect(database.query('SELECT $1::int FROM no_such_table', [1])).rejects.toThrow();
    await expect(database.query('SELECT 1 / $1::int AS x', [0])).rejects.toThrow();
    expect((await database.query<{ x: number }>('SELECT 1 / $1::int AS x', [1])).rows[0]!.x).toBe(1);
    await expect(database.query('SELECT $1::int FROM no_such_table', [1])).rejects.toThrow(/no_such_table/);
  });
});
