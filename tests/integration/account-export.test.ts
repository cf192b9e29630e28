/**
 * "Download my data" (src/lib/account/export.server.ts) and the session's device (the adapter
 * stores the User-Agent of the request creating a session) on both backends: one statement
 * returns the account, its live sessions (with the current one marked, no token) and its todos.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAccount } from '#lib/account/export.server.ts';
import { createAuthAdapter } from '#lib/auth/adapter.server.ts';
import { withRequestUserAgent } from '#lib/auth/session-device.server.ts';
import { sessionOwner } from '#lib/auth/session-owner.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import type { Database } from '#lib/db/index.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe.each(BACKENDS)('account export on %s', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await migratedDatabase(backend);
  });
  afterAll(async () => database?.end());

  it('stores the creating request’s User-Agent with a new session', async () => {
    const adapter = createAuthAdapter(database);
    const user = await adapter.createUser!({ email: `ua-${backend}@example.com`, emailVerified: null, id: '' });
    const expires = new Date(Date.now() + 60_000);
    const request = new Request('http://localhost/', { headers: { 'user-agent': UA } });
    await withRequestUserAgent(request, async () =>
      adapter.createSession!({ sessionToken: `ua-${backend}`, userId: user.id, expires }),
    );
    await adapter.createSession!({ sessionToken: `no-ua-${backend}`, userId: user.id, expires });
    const { rows } = await database.query<{ user_agent: string | null }>(
      'SELECT user_agent FROM sessions WHERE "sessionToken" = ANY($1) ORDER BY id',
      [[hashSessionToken(`ua-${backend}`), hashSessionToken(`no-ua-${backend}`)]],
    );
    expect(rows.map((r) => r.user_agent)).toEqual([UA, null]);
  });

  it('exports account, live sessions (current marked, no token) and todos in one statement', async () => {
    const email = `export-${backend}@example.com`;
    const { rows } = await database.query<{ id: number }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
      email,
    ]);
    const id = rows[0]!.id;
    const later = new Date(Date.now() + 3_600_000);
    for (const [token, expires] of [
      ['mine', later],
      ['phone', later],
      ['old', new Date(Date.now() - 1000)],
    ] as const) {
      await database.query(
        'INSERT INTO sessions ("userId", "sessionToken", expires, user_agent) VALUES ($1, $2, $3, $4)',
        [id, hashSessionToken(`${backend}-${token}`), expires, UA],
      );
    }
    for (const content of ['a', 'b'])
      await database.query('INSERT INTO todos (user_id, content) VALUES ($1, $2)', [id, content]);
    // Deleted, still in its undo window: gone as far as the person is concerned.
    await database.query('INSERT INTO todos (user_id, content, deleted_at) VALUES ($1, $2, now())', [id, 'deleted']);

    const data = await exportAccount(database, sessionOwner(`${backend}-mine`));
    expect(data?.account.email).toBe(email);
    expect(data?.todos.map((t) => [t.content, t.completed])).toEqual([
      ['a', false],
      ['b', false],
    ]);
    expect(data?.sessions).toHaveLength(2);
    expect(data?.sessions.map((s) => s.current).sort()).toEqual([false, true]);
    const raw = JSON.stringify(data);
    expect(raw).not.toContain(hashSessionToken(`${backend}-mine`));
    expect(raw).not.toMatch(/token/i);

    expect(await exportAccount(database, sessionOwner(`${backend}-nobody`))).toBeNull();
  });
});
