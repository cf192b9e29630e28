/**
 * The database module under faults, on real Postgres through the Neon driver: a connection killed
 * under a read (retried once on a fresh connection) or under a write (never retried), and a slow
 * database (bounded by the query and connection timeouts, nothing piles up).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isDatabaseUnavailable } from '#lib/db/errors.server.ts';
import { openDatabase, type Database } from '#lib/db/index.server.ts';
import { emptyDatabase } from '../support/databases.ts';

/** Terminates, from another connection, the backend running a statement that contains `marker`. */
async function killBackendRunning(admin: Database, marker: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await admin.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid() AND state = 'active'`,
      [marker],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No backend ran ${marker}`);
}

describe('database faults (postgres through the Neon driver)', () => {
  let url: string;
  let admin: Database;
  let database: Database;

  beforeAll(async () => {
    const fresh = await emptyDatabase('postgres');
    admin = fresh.database;
    url = fresh.url!;
    await admin.query('CREATE TABLE writes (id serial PRIMARY KEY, note text)');
    database = await openDatabase({ url, wsProxy: inject('postgres').wsProxy, poolMax: 2 });
  });
  afterAll(async () => {
    await database?.end();
    await admin?.end();
  });

  it('retries a read once on a fresh connection when its connection is killed under it', async () => {
    const marker = `read_${Date.now()}`;
    const read = database.query<{ answer: number }>(`SELECT pg_sleep(0.5), 42 AS answer, '${marker}' AS marker`);
    await killBackendRunning(admin, marker);
    expect((await read).rows[0]!.answer).toBe(42);
  });

  it('never retries a write: the failure surfaces as unavailable and the row is not written twice', async () => {
    const marker = `write_${Date.now()}`;
    // The handler is attached at once: the write may fail while the kill is still being awaited,
    // and a rejection with no handler yet is an unhandled rejection.
    const write = database
      .query(`INSERT INTO writes (note) SELECT '${marker}' FROM pg_sleep(0.5)`)
      .catch((e: unknown) => e);
    await killBackendRunning(admin, marker);
    const error = await write;
    expect(isDatabaseUnavailable(error)).toBe(true);
    const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM writes WHERE note = $1', [marker]);
    expect(Number(rows[0]!.n)).toBe(0);
    // The pool replaced the dead connection.
    expect((await database.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]!.ok).toBe(1);
  });

  it('bounds a slow database: queries time out (not retried), waiters give up, the pool recovers', async () => {
    const slow = await openDatabase({
      url,
      wsProxy: inject('postgres').wsProxy,
      poolMax: 2,
      queryTimeoutMs: 300,
      connectTimeoutMs: 400,
    });
    try {
      const started = Date.now();
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => slow.query('SELECT pg_sleep(3)')));
      const elapsed = Date.now() - started;
      // Two run and time out at ~300 ms; the four waiting for a connection give up by ~400 ms or
      // get a fresh one and time out too. Either way: all fail fast, none waits for pg_sleep(3).
      expect(results.every((r) => r.status === 'rejected' && isDatabaseUnavailable(r.reason))).toBe(true);
      expect(results.some((r) => r.status === 'rejected' && (r.reason as { timedOut: boolean }).timedOut)).toBe(true);
      expect(elapsed).toBeLessThan(2_500);
      expect((await slow.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]!.ok).toBe(1);
    } finally {
      await slow.end();
    }
  });
});
