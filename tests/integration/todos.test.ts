import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { createTodo, deleteTodo, listTodos, updateTodo } from '#todos/queries.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';
import { newUser } from '../support/users.ts';

describe.each(BACKENDS)('todo queries on %s', (backend) => {
  let database: Database;
  let ann: number;
  let bob: number;
  beforeAll(async () => {
    database = await migratedDatabase(backend);
    ann = await newUser(database, 'ann@example.com');
    bob = await newUser(database, 'bob@example.com');
  });
  afterAll(async () => database.end());

  it('creates, lists oldest first, updates with explicit values and deletes', async () => {
    const first = await createTodo(database, ann, 'first');
    const second = await createTodo(database, ann, 'second');
    expect(first).toMatchObject({ content: 'first', completed: false });
    expect(new Date(first.createdAt).toISOString()).toBe(first.createdAt);
    expect((await listTodos(database, ann)).map((t) => t.id)).toEqual([first.id, second.id]);

    expect(await updateTodo(database, ann, first.id, { completed: true })).toMatchObject({
      completed: true,
      content: 'first',
    });
    // Explicit state: sending `completed: true` again leaves it true (no toggle).
    expect(await updateTodo(database, ann, first.id, { completed: true })).toMatchObject({ completed: true });
    expect(await updateTodo(database, ann, first.id, { content: 'renamed' })).toMatchObject({
      completed: true,
      content: 'renamed',
    });

    expect(await deleteTodo(database, ann, second.id)).toBe(true);
    expect(await deleteTodo(database, ann, second.id)).toBe(false);
    expect((await listTodos(database, ann)).map((t) => t.content)).toEqual(['renamed']);
  });

  it('never lets one user see or change another user’s todos', async () => {
    const secret = await createTodo(database, ann, 'ann only');
    expect((await listTodos(database, bob)).map((t) => t.id)).not.toContain(secret.id);
    expect(await updateTodo(database, bob, secret.id, { completed: true, content: 'hijacked' })).toBeNull();
    expect(await deleteTodo(database, bob, secret.id)).toBe(false);
    const still = (await listTodos(database, ann)).find((t) => t.id === secret.id);
    expect(still).toMatchObject({ content: 'ann only', completed: false });
  });

  it('stores unicode, quotes and markup verbatim', async () => {
    const text = `Robert'); DROP TABLE todos;-- <script>alert(1)</script> 🚀 שלום`;
    const todo = await createTodo(database, bob, text);
    expect((await listTodos(database, bob)).find((t) => t.id === todo.id)?.content).toBe(text);
  });
});
