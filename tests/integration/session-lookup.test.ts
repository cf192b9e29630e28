/**
 * The session read (lookUpSession: the `me` CTE every signed-in statement starts with) against both
 * backends: Auth.js's database-session rules, re-implemented in SQL, so each one is pinned here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { lookUpSession } from '#lib/auth/session-lookup.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(BACKENDS)('session lookup on %s', (backend) => {
  let database: Database;
  let userId: number;
  const now = Date.now();

  /** A session whose expiry is `expiresIn` ms from `now`. */
  async function session(token: string, expiresIn: number): Promise<void> {
    await database.query('INSERT INTO sessions ("sessionToken", "userId", expires) VALUES ($1, $2, $3)', [
      hashSessionToken(token),
      userId,
      new Date(now + expiresIn),
    ]);
  }
  async function storedExpiry(token: string): Promise<number | undefined> {
    const { rows } = await database.query<{ expires: Date }>('SELECT expires FROM sessions WHERE "sessionToken" = $1', [
      hashSessionToken(token),
    ]);
    return rows[0] && new Date(rows[0].expires).getTime();
  }

  beforeAll(async () => {
    database = await migratedDatabase(backend);
    const { rows } = await database.query<{ id: number }>(
      `INSERT INTO users (email, name) VALUES ('eve@example.com', 'Eve') RETURNING id`,
    );
    userId = rows[0]!.id;
  });
  afterAll(async () => database.end());

  it('finds a live session with its user and leaves the row and the cookie alone', async () => {
    await session('live', 29.5 * DAY); // extended half a day ago
    const found = await lookUpSession(database, 'live', now);
    expect(found).toEqual({
      session: {
        user: { id: userId, email: 'eve@example.com', name: 'Eve' },
        expires: new Date(now + 29.5 * DAY).toISOString(),
      },
      cookie: { action: 'keep' },
    });
    expect(await storedExpiry('live')).toBe(now + 29.5 * DAY);
  });

  it('extends a session last extended more than updateAge ago, in the row and the cookie', async () => {
    await session('stale', 28 * DAY); // extended two days ago
    const found = await lookUpSession(database, 'stale', now);
    const extended = now + 30 * DAY;
    expect(found.session?.expires).toBe(new Date(extended).toISOString());
    expect(found.cookie).toEqual({ action: 'extend', expires: new Date(extended) });
    expect(await storedExpiry('stale')).toBe(extended);
  });

  it('extends exactly at updateAge (Auth.js compares with <=)', async () => {
    await session('edge', 29 * DAY);
    expect((await lookUpSession(database, 'edge', now)).cookie.action).toBe('extend');
  });

  it('deletes an expired session and clears the cookie', async () => {
    await session('expired', -1);
    expect(await lookUpSession(database, 'expired', now)).toEqual({
      session: null,
      cookie: { action: 'clear' },
    });
    expect(await storedExpiry('expired')).toBeUndefined();
  });

  it('clears the cookie of a token that has no session, and changes nothing', async () => {
    const before = (await database.query('SELECT count(*)::int AS n FROM sessions')).rows[0];
    expect(await lookUpSession(database, 'never-issued', now)).toEqual({
      session: null,
      cookie: { action: 'clear' },
    });
    expect((await database.query('SELECT count(*)::int AS n FROM sessions')).rows[0]).toEqual(before);
  });

  it('treats SQL, a NUL byte, non-ASCII, empty and over-long values as no session (not an error)', async () => {
    await session('x'.repeat(255), DAY);
    for (const token of [`'OR'1'='1'--`, `' OR 1=1 --`, 'abc\u0000def', 'é✓', '', 'x'.repeat(256)]) {
      expect(await lookUpSession(database, token, now)).toEqual({ session: null, cookie: { action: 'clear' } });
    }
    expect((await lookUpSession(database, 'x'.repeat(255), now)).session).not.toBeNull();
  });
});
