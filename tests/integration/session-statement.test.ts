/**
 * One round trip per signed-in request (issue #15): each owner-scoped statement starts with the
 * session check (src/lib/auth/session-owner.server.ts). Pinned here on both backends: a revoked or
 * expired session reads and writes nothing (null: 401 / sign-in), an expired row is deleted by the
 * same statement, the expiry moves once (and says so, so the cookie is re-sent once), and another
 * user's todo is "not found" while the session is live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { sessionOwner } from '#lib/auth/session-owner.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { listSessionsAs } from '#lib/account/accounts.server.ts';
import {
  clearCompleted,
  createTodo,
  deleteTodo,
  listTodos,
  setAllCompleted,
  updateTodo,
} from '#todos/queries.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';
import { newUser } from '../support/users.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(BACKENDS)('session-scoped statements on %s', (backend) => {
  let database: Database;
  let ann: number;
  let bob: number;
  let bobsTodo: number;
  const now = Date.now();

  async function session(token: string, userId: number, expiresIn: number): Promise<void> {
    await database.query('INSERT INTO sessions ("sessionToken", "userId", expires) VALUES ($1, $2, $3)', [
      hashSessionToken(token),
      userId,
      new Date(now + expiresIn),
    ]);
  }
  const stored = async (token: string) =>
    (
      await database.query<{ expires: Date }>('SELECT expires FROM sessions WHERE "sessionToken" = $1', [
        hashSessionToken(token),
      ])
    ).rows[0];

  beforeAll(async () => {
    database = await migratedDatabase(backend);
    ann = await newUser(database, 'ann@example.com');
    bob = await newUser(database, 'bob@example.com');
    bobsTodo = (await createTodo(database, bob, 'bob only')).id;
    await session('ann-live', ann, 29.5 * DAY);
    await session('ann-expired', ann, -1);
  });
  afterAll(async () => database.end());

  // Every owner-scoped statement, as a signed-in route calls it.
  const statements: Array<[string, (token: string, t: number) => Promise<unknown>]> = [
    ['list', (token, t) => listTodos(database, sessionOwner(token, t))],
    ['create', (token, t) => createTodo(database, sessionOwner(token, t), 'x')],
    ['update', (token, t) => updateTodo(database, sessionOwner(token, t), bobsTodo, { completed: true })],
    ['delete', (token, t) => deleteTodo(database, sessionOwner(token, t), bobsTodo)],
    ['complete all', (token, t) => setAllCompleted(database, sessionOwner(token, t), true)],
    ['clear completed', (token, t) => clearCompleted(database, sessionOwner(token, t))],
    ['account sessions', (token, t) => listSessionsAs(database, sessionOwner(token, t))],
  ];

  it.each(statements)('%s: a revoked (unknown) session reads and writes nothing', async (_name, run) => {
    const before = await listTodos(database, bob);
    expect(await run('revoked', now)).toBeNull();
    expect(await listTodos(database, bob)).toEqual(before);
  });

  it.each(statements)('%s: an expired session is refused and its row deleted', async (_name, run) => {
    await session(`expired-${_name}`, ann, -1000);
    expect(await run(`expired-${_name}`, now)).toBeNull();
    expect(await stored(`expired-${_name}`)).toBeUndefined();
  });

  it("another user's todo is not found (and left alone) with a live session", async () => {
    const owner = sessionOwner('ann-live', now);
    expect(await updateTodo(database, owner, bobsTodo, { content: 'stolen' })).toEqual({ todo: null });
    expect(owner.session?.user.email).toBe('ann@example.com');
    expect(await deleteTodo(database, sessionOwner('ann-live', now), bobsTodo)).toEqual({ todo: null });
    expect((await listTodos(database, bob)).map((t) => t.content)).toEqual(['bob only']);
  });

  it('extends a due session once, in the same statement, and says so once', async () => {
    await session('ann-stale', ann, 28 * DAY); // extended two days ago
    const first = sessionOwner('ann-stale', now);
    const todo = await createTodo(database, first, 'while extending');
    expect(todo).toMatchObject({ content: 'while extending' });
    expect(first.extended).toBe(true);
    expect(first.session?.expires).toBe(new Date(now + 30 * DAY).toISOString());
    expect(new Date((await stored('ann-stale'))!.expires).getTime()).toBe(now + 30 * DAY);

    const second = sessionOwner('ann-stale', now + 1000);
    expect(await listTodos(database, second)).toContainEqual(todo);
    expect(second.extended).toBe(false);
    expect(new Date((await stored('ann-stale'))!.expires).getTime()).toBe(now + 30 * DAY);
  });

  it('the account statement shows the current session as this statement left it', async () => {
    await session('ann-account', ann, 28 * DAY);
    const owner = sessionOwner('ann-account', now);
    const sessions = await listSessionsAs(database, owner);
    const current = sessions!.find((s) => s.current)!;
    expect(current.expires).toBe(new Date(now + 30 * DAY).toISOString());
    expect(sessions!.every((s) => new Date(s.expires).getTime() > Date.now())).toBe(true);
  });
});
