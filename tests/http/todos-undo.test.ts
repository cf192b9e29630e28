/**
 * Undo over HTTP, against the production build in local mode and on real Postgres: the restore
 * route (`POST /api/todos/restore`) brings back only the caller's own recently deleted todos, in
 * their place; bad input is a 400, never a 500; the no-JS forms carry the undo offer in the
 * redirect and restore through /todos/restore. The window and the limit (which need the database
 * moved by hand) are checked on Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODO_LIMIT, UNDO_WINDOW_SECONDS } from '#todos/schema.server.ts';
import { HttpClient } from '../support/http-client.ts';
import { APP_MODES, type RunningApp } from '../support/running-app.ts';
import {
  addTodo as add,
  appWithTwoUsers,
  listTodos as list,
  signedIn,
  type TodoJson,
  postTodoForm as post,
} from '../support/todo-users.ts';

describe.each(APP_MODES)('undo (%s)', (mode) => {
  let app: RunningApp;
  let ann: HttpClient;
  let bob: HttpClient;

  const restore = (client: HttpClient, json: unknown) => client.fetch('/api/todos/restore', { json });
  const remove = async (client: HttpClient, id: number) =>
    expect((await client.fetch(`/api/todos/${id}`, { method: 'DELETE' })).status).toBe(204);

  beforeAll(async () => {
    ({ app, ann, bob } = await appWithTwoUsers(mode));
  });
  afterAll(async () => app?.stop());

  it('restores a deleted todo with the same id, text, state and place', async () => {
    await add(ann, 'first');
    const middle = await add(ann, 'middle', true);
    await add(ann, 'last');
    const before = await list(ann);
    await remove(ann, middle.id);
    expect((await list(ann)).map((t) => t.id)).not.toContain(middle.id);

    const response = await restore(ann, { ids: [middle.id] });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(await response.json()).toEqual([before.find((t) => t.id === middle.id)]);
    expect(await list(ann)).toEqual(before);
  });

  it('restores what clear completed removed, in order', async () => {
    const fresh = await add(bob, 'bob open');
    const doneA = await add(bob, 'bob done a', true);
    const doneB = await add(bob, 'bob done b', true);
    const before = await list(bob);
    const { deletedIds } = (await (await bob.fetch('/api/todos/completed', { method: 'DELETE' })).json()) as {
      deletedIds: number[];
    };
    expect(deletedIds).toEqual([doneA.id, doneB.id]);
    expect((await list(bob)).map((t) => t.id)).toEqual(before.filter((t) => !t.completed).map((t) => t.id));
    const restored = (await (await restore(bob, { ids: deletedIds })).json()) as TodoJson[];
    expect(restored.map((t) => t.id)).toEqual(deletedIds);
    expect(await list(bob)).toEqual(before);
    expect(before.map((t) => t.id)).toContain(fresh.id);
  });

  it('restores only the owner’s todos: another user’s id is a 404 and stays deleted', async () => {
    const secret = await add(ann, 'ann’s deleted secret');
    await remove(ann, secret.id);
    const response = await restore(bob, { ids: [secret.id] });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
    expect((await list(bob)).map((t) => t.id)).not.toContain(secret.id);
    expect((await list(ann)).map((t) => t.id)).not.toContain(secret.id);
    // A live todo, or one never deleted, has nothing to restore either.
    const live = await add(ann, 'live');
    expect((await restore(ann, { ids: [live.id] })).status).toBe(404);
  });

  it('answers 401 without a session and 403 from another origin, restoring nothing', async () => {
    const gone = await add(ann, 'stays deleted');
    await remove(ann, gone.id);
    const anonymous = await restore(new HttpClient(app.server.url), { ids: [gone.id] });
    expect(anonymous.status).toBe(401);
    const crossSite = await ann.fetch('/api/todos/restore', {
      json: { ids: [gone.id] },
      headers: { origin: 'http://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect((await list(ann)).map((t) => t.id)).not.toContain(gone.id);
  });

  it.each([
    ['no ids', {}],
    ['an empty list', { ids: [] }],
    ['ids as a string', { ids: '1,2' }],
    ['a string id', { ids: ['1'] }],
    ['a zero id', { ids: [0] }],
    ['a negative id', { ids: [-3] }],
    ['a fractional id', { ids: [1.5] }],
    ['an id past int4', { ids: [2_147_483_648] }],
    ['too many ids', { ids: Array.from({ length: TODO_LIMIT + 1 }, (_, i) => i + 1) }],
    ['an extra field', { ids: [1], userId: 2 }],
    ['a list instead of an object', [1, 2]],
  ])('refuses %s with 400', async (_label, json) => {
    const response = await restore(ann, json);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
  });

  it('refuses malformed JSON with 400 and other methods with 405', async () => {
    const malformed = await ann.fetch('/api/todos/restore', {
      method: 'POST',
      body: '{"ids":[',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('invalid_json');
    const get = await ann.fetch('/api/todos/restore');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('no JavaScript: a delete redirects to the undo offer, whose form restores', async () => {
    const todo = await add(ann, 'undo me by form');
    const location = await post(ann, 'delete', { id: String(todo.id), filter: 'active' });
    expect(location).toBe(`/todos?filter=active&undo=${todo.id}`);
    const page = await (await ann.fetch(location!)).text();
    expect(page).toMatch(/<form(?=[^>]*\saction="\/todos\/restore")(?=[^>]*\smethod="post")/);
    expect(page).toContain(`name="ids" value="${todo.id}"`);
    expect(page).toContain('Deleted 1 todo');

    expect(await post(ann, 'restore', { ids: String(todo.id), filter: 'active' })).toBe('/todos?filter=active');
    expect((await list(ann)).map((t) => t.id)).toContain(todo.id);
    // Again: nothing left to undo.
    expect(await post(ann, 'restore', { ids: String(todo.id) })).toBe('/todos?error=undo_expired');
    // Another user's: the same answer, nothing restored.
    await post(ann, 'delete', { id: String(todo.id) });
    expect(await post(bob, 'restore', { ids: String(todo.id) })).toBe('/todos?error=undo_expired');
    expect((await list(ann)).map((t) => t.id)).not.toContain(todo.id);
  });

  it.each([
    [''],
    ['abc'],
    ['1,,2'],
    ['0'],
    ['-1'],
    ['1.5'],
    [Array.from({ length: TODO_LIMIT + 1 }, () => 7).join(',')],
  ])('no JavaScript: refuses ids %j as invalid; a bad ?undo= is ignored', async (ids) => {
    expect(await post(ann, 'restore', { ids })).toBe('/todos?error=invalid');
    const page = await ann.fetch(`/todos?undo=${encodeURIComponent(ids)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('action="/todos/restore"');
  });

  it.runIf(mode === 'postgres')('restores only within the window', async () => {
    const todo = await add(ann, 'too late');
    await remove(ann, todo.id);
    await app.database!.query(`UPDATE todos SET deleted_at = now() - make_interval(secs => $2::int) WHERE id = $1`, [
      todo.id,
      UNDO_WINDOW_SECONDS + 1,
    ]);
    expect((await restore(ann, { ids: [todo.id] })).status).toBe(404);
    expect((await list(ann)).map((t) => t.id)).not.toContain(todo.id);
  });

  it.runIf(mode === 'postgres')('refuses a restore past the limit with 409, restoring nothing', async () => {
    const full = await add(bob, 'soon deleted');
    await remove(bob, full.id);
    const count = (await list(bob)).length;
    await app.database!.query(
      `INSERT INTO todos (user_id, content) SELECT user_id, 'filler' FROM todos, generate_series(1, $2::int) WHERE id = $1`,
      [full.id, TODO_LIMIT - count],
    );
    // Deleted todos count against nothing: the user is at the limit with one more deleted.
    expect((await list(bob)).length).toBe(TODO_LIMIT);
    const response = await restore(bob, { ids: [full.id] });
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe('todo_limit_reached');
    expect((await list(bob)).map((t) => t.id)).not.toContain(full.id);
    expect(await post(bob, 'restore', { ids: String(full.id) })).toBe('/todos?error=limit');
  });

  it.runIf(mode === 'postgres')(
    'no JavaScript: undoes a clear of 1,000 todos (the ids fit the URL and the form)',
    async () => {
      const client = await signedIn(app, 'thousand');
      const first = await add(client, 'the first');
      await app.database!.query(
        `INSERT INTO todos (user_id, content, completed)
       SELECT user_id, 'done ' || n, true FROM todos, generate_series(1, $2::int) AS n WHERE id = $1`,
        [first.id, TODO_LIMIT - 1],
      );
      await client.fetch(`/api/todos/${first.id}`, { method: 'PATCH', json: { completed: true } });
      const before = await list(client);
      expect(before).toHaveLength(TODO_LIMIT);

      const location = await post(client, 'clear-completed', {});
      expect(await list(client)).toEqual([]);
      const page = await client.fetch(location!);
      expect(page.status).toBe(200);
      const ids = /name="ids" value="([\d,]+)"/.exec(await page.text())?.[1];
      expect(ids?.split(',')).toHaveLength(TODO_LIMIT);
      expect(await post(client, 'restore', { ids: ids! })).toBe('/todos');
      expect(await list(client)).toEqual(before);
    },
  );
});
