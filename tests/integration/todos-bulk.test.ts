/**
 * Bulk todo queries and the per-user limit, on PGlite and on real Postgres (through the Neon
 * driver, where concurrent inserts really run at the same time on several connections).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { TODO_LIMIT } from '#todos/schema.server.ts';
import {
  TodoLimitError,
  clearCompleted,
  createTodo,
  deleteTodo,
  listTodos,
  setAllCompleted,
  updateTodo,
} from '#todos/queries.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';
import { newUser } from '../support/users.ts';

/** Adds `count` todos for `userId` in one statement (the fast way to reach the limit). */
async function fill(database: Database, userId: number, count: number): Promise<void> {
  await database.query(
    `INSERT INTO todos (user_id, content) SELECT $1, 'filler ' || n FROM generate_series(1, $2::int) AS n`,
    [userId, count],
  );
}

async function storedCount(database: Database, userId: number): Promise<{ rows: number; counter: number }> {
  const { rows } = await database.query<{ rows: number; counter: number }>(
    `SELECT (SELECT count(*)::int FROM todos WHERE user_id = $1 AND deleted_at IS NULL) AS rows,
            (SELECT todo_count FROM users WHERE id = $1) AS counter`,
    [userId],
  );
  return rows[0]!;
}

describe.each(BACKENDS)('bulk todo queries and the limit on %s', (backend) => {
  let database: Database;
  let users = 0;
  const user = () => newUser(database, `user${users++}@example.com`);

  beforeAll(async () => {
    database = await migratedDatabase(backend);
  });
  afterAll(async () => database?.end());

  it('marks all complete and incomplete for one user only, returning the whole list oldest first', async () => {
    const [ann, bob] = [await user(), await user()];
    const a = await createTodo(database, ann, 'a');
    const b = await createTodo(database, ann, 'b');
    await updateTodo(database, ann, b.id, { completed: true });
    const bobs = await createTodo(database, bob, 'bob’s');

    const all = await setAllCompleted(database, ann, true);
    expect(all.map((t) => [t.id, t.completed])).toEqual([
      [a.id, true],
      [b.id, true],
    ]);
    expect((await setAllCompleted(database, ann, false)).map((t) => t.completed)).toEqual([false, false]);
    expect(await listTodos(database, bob)).toEqual([bobs]);
    expect(await setAllCompleted(database, await user(), true)).toEqual([]);
  });

  it('clears only the user’s completed todos and returns their ids', async () => {
    const [ann, bob] = [await user(), await user()];
    const keep = await createTodo(database, ann, 'keep');
    const done1 = await createTodo(database, ann, 'done 1');
    const done2 = await createTodo(database, ann, 'done 2');
    const bobsDone = await createTodo(database, bob, 'bob done');
    for (const [owner, id] of [
      [ann, done1.id],
      [ann, done2.id],
      [bob, bobsDone.id],
    ]) {
      await updateTodo(database, owner!, id!, { completed: true });
    }

    expect(await clearCompleted(database, ann)).toEqual([done1.id, done2.id]);
    expect((await listTodos(database, ann)).map((t) => t.id)).toEqual([keep.id]);
    expect((await listTodos(database, bob)).map((t) => t.id)).toEqual([bobsDone.id]);
    expect(await clearCompleted(database, ann)).toEqual([]);
    expect(await storedCount(database, ann)).toEqual({ rows: 1, counter: 1 });
  });

  it(`refuses the todo after ${TODO_LIMIT} with TodoLimitError and stores nothing`, async () => {
    const ann = await user();
    await fill(database, ann, TODO_LIMIT - 1);
    await createTodo(database, ann, 'the last one that fits');
    await expect(createTodo(database, ann, 'one too many')).rejects.toBeInstanceOf(TodoLimitError);
    expect(await storedCount(database, ann)).toEqual({ rows: TODO_LIMIT, counter: TODO_LIMIT });

    // Deleting makes room again; another user is unaffected by ann's limit.
    const [first] = await listTodos(database, ann);
    expect(await deleteTodo(database, ann, first!.id)).toBe(true);
    await createTodo(database, ann, 'room again');
    await expect(createTodo(database, ann, 'full again')).rejects.toBeInstanceOf(TodoLimitError);
    await createTodo(database, await user(), 'someone else');
  });

  it('lets exactly as many concurrent inserts through as there is room for', async () => {
    const ann = await user();
    await fill(database, ann, TODO_LIMIT - 3);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => createTodo(database, ann, `racer ${i}`)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TodoLimitError);
    expect(await storedCount(database, ann)).toEqual({ rows: TODO_LIMIT, counter: TODO_LIMIT });
  });

  it('keeps the counter right through bulk deletes, and deleting a user still cascades', async () => {
    const ann = await user();
    await fill(database, ann, 20);
    await database.query('UPDATE todos SET completed = true WHERE user_id = $1 AND id % 2 = 0', [ann]);
    await clearCompleted(database, ann);
    const after = await storedCount(database, ann);
    expect(after.counter).toBe(after.rows);
    await database.query('DELETE FROM users WHERE id = $1', [ann]);
    expect(await listTodos(database, ann)).toEqual([]);
  });

  it('refuses moving a todo to another owner (the counts would drift)', async () => {
    const [ann, bob] = [await user(), await user()];
    const todo = await createTodo(database, ann, 'mine');
    await expect(database.query('UPDATE todos SET user_id = $1 WHERE id = $2', [bob, todo.id])).rejects.toThrow(
      /cannot change/,
    );
  });
});
