/**
 * Undo for deletes (migration 0009): a delete is a soft delete, restoreTodos brings the same todos
 * back within the window and only for their owner, the prune removes expired deletions, and
 * soft-deleted todos count against nothing (the limit). On PGlite and on real Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { pruneExpired } from '#lib/account/prune.server.ts';
import { TODO_LIMIT, UNDO_WINDOW_SECONDS } from '#todos/schema.server.ts';
import {
  TodoLimitError,
  clearCompleted,
  createTodo,
  deleteTodo,
  listTodos,
  restoreTodos,
  setAllCompleted,
  updateTodo,
} from '#todos/queries.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';
import { newUser } from '../support/users.ts';

describe.each(BACKENDS)('undo (soft delete and restore) on %s', (backend) => {
  let database: Database;
  let users = 0;
  const user = () => newUser(database, `undo${users++}@example.com`);
  /** Moves a deletion back in time by `seconds` (as if it had happened that long ago). */
  const age = (ids: number[], seconds: number) =>
    database.query(`UPDATE todos SET deleted_at = deleted_at - make_interval(secs => $2::int) WHERE id = ANY($1)`, [
      ids,
      seconds,
    ]);
  const counter = async (userId: number) =>
    (await database.query<{ n: number }>('SELECT todo_count AS n FROM users WHERE id = $1', [userId])).rows[0]!.n;

  beforeAll(async () => {
    database = await migratedDatabase(backend);
  });
  afterAll(async () => database?.end());

  it('restores a deleted todo with its id, text, state and place in the list', async () => {
    const ann = await user();
    const a = await createTodo(database, ann, 'a');
    const b = await createTodo(database, ann, 'b');
    const third = await createTodo(database, ann, 'c');
    await updateTodo(database, ann, b.id, { completed: true });
    const before = await listTodos(database, ann);

    expect(await deleteTodo(database, ann, b.id)).toBe(true);
    expect((await listTodos(database, ann)).map((t) => t.id)).toEqual([a.id, third.id]);
    // Deleted means absent: it can't be changed or deleted again.
    expect(await updateTodo(database, ann, b.id, { content: 'x' })).toBeNull();
    expect(await deleteTodo(database, ann, b.id)).toBe(false);
    expect(await counter(ann)).toBe(2);

    expect(await restoreTodos(database, ann, [b.id])).toEqual([before[1]]);
    expect(await listTodos(database, ann)).toEqual(before);
    expect(await counter(ann)).toBe(3);
    // Restoring again (already live) restores nothing.
    expect(await restoreTodos(database, ann, [b.id])).toEqual([]);
  });

  it('restores everything clear-completed removed, in order, and only that', async () => {
    const ann = await user();
    for (const text of ['one', 'two', 'three', 'four', 'five']) await createTodo(database, ann, text);
    const all = await listTodos(database, ann);
    for (const todo of [all[0]!, all[2]!, all[4]!]) await updateTodo(database, ann, todo.id, { completed: true });
    const before = await listTodos(database, ann);
    const cleared = await clearCompleted(database, ann);
    expect(cleared).toEqual([all[0]!.id, all[2]!.id, all[4]!.id]);
    // Bulk changes skip deleted todos.
    expect((await setAllCompleted(database, ann, true)).map((t) => t.id)).toEqual([all[1]!.id, all[3]!.id]);
    await setAllCompleted(database, ann, false);

    expect((await restoreTodos(database, ann, cleared)).map((t) => t.id)).toEqual(cleared);
    expect((await listTodos(database, ann)).map((t) => [t.id, t.completed])).toEqual(
      before.map((t) => [t.id, t.completed]),
    );
  });

  it('restores only the owner’s todos, only within the window', async () => {
    const [ann, bob] = [await user(), await user()];
    const mine = await createTodo(database, ann, 'mine');
    const old = await createTodo(database, ann, 'old');
    await deleteTodo(database, ann, mine.id);
    await deleteTodo(database, ann, old.id);
    await age([old.id], UNDO_WINDOW_SECONDS + 1);

    expect(await restoreTodos(database, bob, [mine.id, old.id])).toEqual([]);
    expect(await listTodos(database, bob)).toEqual([]);
    expect(await restoreTodos(database, ann, [old.id])).toEqual([]);
    expect(await listTodos(database, ann)).toEqual([]);
    expect((await restoreTodos(database, ann, [mine.id, old.id, 2_147_483_647])).map((t) => t.id)).toEqual([mine.id]);
  });

  it('prunes deletions older than the window, keeps recent ones restorable and the counter right', async () => {
    const ann = await user();
    const [expired, recent, live] = [
      await createTodo(database, ann, 'expired'),
      await createTodo(database, ann, 'recent'),
      await createTodo(database, ann, 'live'),
    ];
    await deleteTodo(database, ann, expired.id);
    await deleteTodo(database, ann, recent.id);
    await age([expired.id], UNDO_WINDOW_SECONDS + 1);

    const pruned = await pruneExpired(database);
    expect(pruned.deletedTodos).toBeGreaterThanOrEqual(1);
    const stored = await database.query<{ id: number }>('SELECT id FROM todos WHERE user_id = $1 ORDER BY id', [ann]);
    expect(stored.rows.map((r) => r.id)).toEqual([recent.id, live.id]);
    expect(await counter(ann)).toBe(1);
    expect((await restoreTodos(database, ann, [recent.id])).map((t) => t.id)).toEqual([recent.id]);
    expect(await counter(ann)).toBe(2);
  });

  it('counts soft-deleted todos against nothing, and refuses a restore past the limit whole', async () => {
    const ann = await user();
    await database.query(
      `INSERT INTO todos (user_id, content) SELECT $1, 'filler ' || n FROM generate_series(1, $2::int) AS n`,
      [ann, TODO_LIMIT],
    );
    await expect(createTodo(database, ann, 'one too many')).rejects.toBeInstanceOf(TodoLimitError);
    const [first, second] = await listTodos(database, ann);
    await deleteTodo(database, ann, first!.id);
    await deleteTodo(database, ann, second!.id);
    // Two deleted (not yet pruned) todos leave room for two new ones.
    await createTodo(database, ann, 'room 1');
    await createTodo(database, ann, 'room 2');
    expect(await counter(ann)).toBe(TODO_LIMIT);

    await expect(restoreTodos(database, ann, [first!.id, second!.id])).rejects.toBeInstanceOf(TodoLimitError);
    expect(await counter(ann)).toBe(TODO_LIMIT);
    const deleted = await database.query('SELECT 1 FROM todos WHERE id = ANY($1) AND deleted_at IS NOT NULL', [
      [first!.id, second!.id],
    ]);
    expect(deleted.rowCount).toBe(2);

    // After making room for one of them, that one comes back.
    await clearCompleted(database, ann); // nothing completed: no change
    const [, , third] = await listTodos(database, ann);
    await deleteTodo(database, ann, third!.id);
    expect((await restoreTodos(database, ann, [first!.id])).map((t) => t.id)).toEqual([first!.id]);
    expect(await counter(ann)).toBe(TODO_LIMIT);
  });

  it('keeps the counter right when a user with soft-deleted todos is deleted or pruned', async () => {
    const ann = await user();
    const todo = await createTodo(database, ann, 'bye');
    await deleteTodo(database, ann, todo.id);
    await age([todo.id], UNDO_WINDOW_SECONDS + 1);
    await pruneExpired(database);
    expect(await counter(ann)).toBe(0);
    await database.query('DELETE FROM users WHERE id = $1', [ann]);
  });
});
