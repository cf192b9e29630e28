/**
 * Bench data, inserted directly (sign-in itself is tested elsewhere): users with live sessions,
 * the first `activeUsers` of them with `todosPerUser` todos each. Ids and tokens are computed, so
 * autocannon and pgbench address the same rows without looking them up.
 */
import type { Database } from '#lib/db/index.server.ts';

export const SEED = {
  users: 2000,
  /** Users whose todos are read and updated (at least the largest connection count). */
  activeUsers: 100,
  todosPerUser: 50,
  /** Session tokens (the cookie values) are decimal strings, so pgbench can build them from an integer variable. */
  tokenBase: 1_000_000_000,
} as const;

export const sessionToken = (user: number): string => String(SEED.tokenBase + user);

/** The id of todo `index` (0-based) of `user`. */
export const todoId = (user: number, index: number): number => (user - 1) * SEED.todosPerUser + index + 1;

export async function seedBenchData(database: Database): Promise<void> {
  await database.exec(`
    INSERT INTO users (id, email, name, "emailVerified")
      SELECT g, 'bench-' || g || '@example.com', 'Bench User ' || g, now() FROM generate_series(1, ${SEED.users}) g;
    SELECT setval(pg_get_serial_sequence('users', 'id'), ${SEED.users});
    -- Expiring in 30 days: fresh enough that Auth.js does not extend (write) them during the run.
    -- Stored as the app stores them: SHA-256 (hex) of the cookie's token (session-token.server.ts).
    INSERT INTO sessions ("userId", expires, "sessionToken")
      SELECT g, now() + interval '30 days', encode(sha256(convert_to((${SEED.tokenBase} + g)::text, 'UTF8')), 'hex')
        FROM generate_series(1, ${SEED.users}) g;
    INSERT INTO todos (id, user_id, content, completed)
      SELECT (u - 1) * ${SEED.todosPerUser} + t, u, 'Bench todo ' || t || ' of user ' || u, t % 3 = 0
        FROM generate_series(1, ${SEED.activeUsers}) u, generate_series(1, ${SEED.todosPerUser}) t
       ORDER BY u, t;
    SELECT setval(pg_get_serial_sequence('todos', 'id'), ${SEED.activeUsers * SEED.todosPerUser});
    ANALYZE;
  `);
}
