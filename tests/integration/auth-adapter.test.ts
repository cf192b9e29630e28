import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '@auth/core/adapters';
import type { Database } from '#lib/db/index.server.ts';
import { createAuthAdapter } from '#lib/auth/adapter.server.ts';
import { deleteSession } from '#lib/auth/delete-session.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';

describe.each(BACKENDS)('Auth.js adapter lifecycle on %s', (backend) => {
  let database: Database;
  let adapter: Required<Adapter>;
  beforeAll(async () => {
    database = await migratedDatabase(backend);
    adapter = createAuthAdapter(database) as Required<Adapter>;
  });
  afterAll(async () => database.end());

  it('stores a verification token and lets it be used exactly once', async () => {
    const expires = new Date(Date.now() + 60_000);
    await adapter.createVerificationToken({ identifier: 'ann@example.com', token: 'hashed-1', expires });
    const used = await adapter.useVerificationToken({ identifier: 'ann@example.com', token: 'hashed-1' });
    expect(used).toMatchObject({ identifier: 'ann@example.com', token: 'hashed-1' });
    expect(await adapter.useVerificationToken({ identifier: 'ann@example.com', token: 'hashed-1' })).toBeNull();
  });

  it('creates a user, finds it by email, and reads a session with its user', async () => {
    const user = await adapter.createUser({
      id: '',
      email: 'bob@example.com',
      emailVerified: new Date(),
      name: null,
      image: null,
    } as never);
    expect(await adapter.getUserByEmail('bob@example.com')).toMatchObject({ id: user.id, email: 'bob@example.com' });
    // PGlite counts rows of a SELECT through our wrapper: an unknown address is a miss, a known one a hit.
    expect(await adapter.getUserByEmail('nobody@example.com')).toBeNull();

    const expires = new Date(Date.now() + 3_600_000);
    await adapter.createSession({ sessionToken: 'tok-bob', userId: user.id, expires });
    const found = await adapter.getSessionAndUser('tok-bob');
    expect(found?.user).toMatchObject({ id: String(user.id), email: 'bob@example.com' });
    expect(found?.session.sessionToken).toBe('tok-bob');
    expect(found?.session.expires.getTime()).toBe(expires.getTime());
    expect(await adapter.getSessionAndUser('no-such-token')).toBeNull();

    const later = new Date(Date.now() + 7_200_000);
    await adapter.updateSession({ sessionToken: 'tok-bob', expires: later });
    expect((await adapter.getSessionAndUser('tok-bob'))?.session.expires.getTime()).toBe(later.getTime());

    await deleteSession(database, 'tok-bob');
    expect(await adapter.getSessionAndUser('tok-bob')).toBeNull();
  });

  it('removes a user’s sessions and todos with the user (ON DELETE CASCADE)', async () => {
    const user = await adapter.createUser({
      id: '',
      email: 'cy@example.com',
      emailVerified: null,
      name: null,
      image: null,
    } as never);
    await adapter.createSession({ sessionToken: 'tok-cy', userId: user.id, expires: new Date(Date.now() + 60_000) });
    await database.query('INSERT INTO todos (user_id, content) VALUES ($1, $2)', [user.id, 'x']);
    await database.query('DELETE FROM users WHERE id = $1', [user.id]);
    expect((await database.query('SELECT 1 FROM sessions WHERE "userId" = $1', [user.id])).rowCount).toBe(0);
    expect((await database.query('SELECT 1 FROM todos WHERE user_id = $1', [user.id])).rowCount).toBe(0);
  });

  it('refuses a second session with the same token', async () => {
    const user = await adapter.createUser({
      id: '',
      email: 'di@example.com',
      emailVerified: null,
      name: null,
      image: null,
    } as never);
    const expires = new Date(Date.now() + 60_000);
    await adapter.createSession({ sessionToken: 'tok-dup', userId: user.id, expires });
    await expect(adapter.createSession({ sessionToken: 'tok-dup', userId: user.id, expires })).rejects.toThrow(
      /unique/i,
    );
  });
});
