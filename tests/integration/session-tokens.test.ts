/**
 * Session tokens at rest (issue #10): the sessions table holds SHA-256 (hex) of each token, never
 * the cookie value, so a copy of the database (backup, replica, log) holds no live session. Every
 * path that finds a session by its token still works with the raw cookie value, on both backends,
 * and migration 0005 converts rows written before it so their cookies keep working.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '@auth/core/adapters';
import { endOtherSessions, listSessions } from '#lib/account/accounts.server.ts';
import { revokeSessions } from '#lib/account/admin.server.ts';
import { createAuthAdapter } from '#lib/auth/adapter.server.ts';
import type { Database } from '#lib/db/index.server.ts';
import { migrate } from '#lib/db/migrate.server.ts';
import { lookUpSession } from '#lib/auth/session-lookup.server.ts';
import { deleteSession } from '#lib/auth/delete-session.server.ts';
import { BACKENDS, MIGRATIONS_DIR, emptyDatabase, migratedDatabase } from '../support/databases.ts';

/** Computed here, not with the app's helper, so the test pins the stored format itself. */
const sha256 = (raw: string) => createHash('sha256').update(raw, 'utf8').digest('hex');
const HOUR = 3_600_000;

describe.each(BACKENDS)('hashed session tokens on %s', (backend) => {
  let database: Database;
  let adapter: Required<Adapter>;
  let userId: string;
  const stored = async (id: string) =>
    (
      await database.query<{ sessionToken: string }>(
        'SELECT "sessionToken" FROM sessions WHERE "userId" = $1 ORDER BY id',
        [id],
      )
    ).rows.map((row) => row.sessionToken);

  beforeAll(async () => {
    database = await migratedDatabase(backend);
    adapter = createAuthAdapter(database) as Required<Adapter>;
    userId = (
      await adapter.createUser({
        id: '',
        email: 'hash@example.com',
        emailVerified: new Date(),
        name: null,
        image: null,
      } as never)
    ).id;
  });
  afterAll(async () => database?.end());

  it('stores the hash, hands Auth.js back the raw token, and finds, extends and ends it by the raw token', async () => {
    const raw = 'raw-token-1';
    const created = await adapter.createSession({ sessionToken: raw, userId, expires: new Date(Date.now() + HOUR) });
    expect(created.sessionToken).toBe(raw); // Auth.js sets the cookie from this value
    expect(await stored(userId)).toEqual([sha256(raw)]);

    const found = await adapter.getSessionAndUser(raw);
    expect(found?.session.sessionToken).toBe(raw);
    expect(found?.user.email).toBe('hash@example.com');
    // The stored value is no longer a key: presenting it as a cookie finds nothing.
    expect(await adapter.getSessionAndUser(sha256(raw))).toBeNull();

    const later = new Date(Date.now() + 2 * HOUR);
    const updated = await adapter.updateSession({ sessionToken: raw, expires: later });
    expect(updated?.sessionToken).toBe(raw);
    expect((await adapter.getSessionAndUser(raw))?.session.expires.getTime()).toBe(later.getTime());

    await adapter.deleteSession(raw); // Auth.js's own sign-out
    expect(await stored(userId)).toEqual([]);
  });

  it('reads a session in the middleware and ends it on /signout with the raw cookie value', async () => {
    const raw = 'raw-token-2';
    await adapter.createSession({ sessionToken: raw, userId, expires: new Date(Date.now() + HOUR) });
    const lookup = await lookUpSession(database, raw);
    expect(lookup.session?.user.email).toBe('hash@example.com');
    expect(lookup.cookie.action).toBe('extend');
    expect(await stored(userId)).toEqual([sha256(raw)]);
    await deleteSession(database, raw);
    expect(await stored(userId)).toEqual([]);
  });

  it('marks the current session and ends the others by the raw cookie value; admin revocation ends all', async () => {
    for (const raw of ['mine', 'phone', 'tablet'])
      await adapter.createSession({ sessionToken: raw, userId, expires: new Date(Date.now() + HOUR) });
    const sessions = await listSessions(database, Number(userId), 'mine');
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(await endOtherSessions(database, Number(userId), 'mine')).toBe(2);
    expect(await stored(userId)).toEqual([sha256('mine')]);
    expect(await revokeSessions(database, 'hash@example.com')).toBe(1);
    expect(await stored(userId)).toEqual([]);
  });

  it('migration 0005 hashes rows written before it, so their cookies keep working', async () => {
    const { database: old } = await emptyDatabase(backend);
    const before = mkdtempSync(path.join(os.tmpdir(), 'migrations-0004-'));
    try {
      for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0005'))
        cpSync(path.join(MIGRATIONS_DIR, file), path.join(before, file));
      await migrate(old, before);
      const { rows } = await old.query<{ id: number }>(
        `INSERT INTO users (email) VALUES ('old@example.com') RETURNING id`,
      );
      const raw = 'c0ffee-öld-token'; // non-ASCII: hashed as UTF-8 bytes, like node:crypto
      await old.query(
        `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() + interval '1 day')`,
        [rows[0]!.id, raw],
      );

      expect(await migrate(old, MIGRATIONS_DIR)).toContain('0005_hash_session_tokens');
      const { rows: after } = await old.query<{ sessionToken: string }>('SELECT "sessionToken" FROM sessions');
      expect(after.map((r) => r.sessionToken)).toEqual([sha256(raw)]);
      const found = await createAuthAdapter(old).getSessionAndUser!(raw);
      expect(found?.user.email).toBe('old@example.com');
    } finally {
      rmSync(before, { recursive: true, force: true });
      await old.end();
    }
  });
});
