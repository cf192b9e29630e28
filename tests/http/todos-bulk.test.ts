/**
 * Bulk todo routes and the per-user limit over HTTP, against the production build in local mode
 * and on real Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODO_LIMIT } from '#todos/schema.server.ts';
import { HttpClient } from '../support/http-client.ts';
import { APP_MODES, type RunningApp } from '../support/running-app.ts';
import { addTodo as add, appWithTwoUsers, listTodos as list, type TodoJson } from '../support/todo-users.ts';
import { signedInClient } from '../support/session-fixture.ts';
import { uniqueEmail } from '../support/users.ts';

describe.each(APP_MODES)('bulk todo API (%s)', (mode) => {
  let app: RunningApp;
  let ann: HttpClient;
  let bob: HttpClient;

  beforeAll(async () => {
    ({ app, ann, bob } = await appWithTwoUsers(mode));
  });
  afterAll(async () => app?.stop());

  it('answers the bulk routes with 401 without a session, and 403 from another origin', async () => {
    const anonymous = new HttpClient(app.server.url);
    const completeAll = await anonymous.fetch('/api/todos/complete-all', { json: { completed: true } });
    expect(completeAll.status).toBe(401);
    expect((await completeAll.json()).error.code).toBe('unauthorized');
    expect((await anonymous.fetch('/api/todos/completed', { method: 'DELETE' })).status).toBe(401);

    const bobsDone = await add(bob, 'bob’s finished task', true);
    const evil = { origin: 'http://evil.example' };
    expect((await bob.fetch('/api/todos/completed', { method: 'DELETE', headers: evil })).status).toBe(403);
    expect((await bob.fetch('/api/todos/complete-all', { json: { completed: false }, headers: evil })).status).toBe(
      403,
    );
    expect((await list(bob)).find((t) => t.id === bobsDone.id)).toMatchObject({ completed: true });
  });

  it('marks all of one user’s todos complete, then incomplete, and answers the whole list', async () => {
    const a = await add(ann, 'a');
    const b = await add(ann, 'b', true);
    const bobs = await add(bob, 'bob’s open task');

    const done = await ann.fetch('/api/todos/complete-all', { json: { completed: true } });
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toContain('no-store');
    const all = (await done.json()) as TodoJson[];
    expect(all.map((t) => t.id)).toEqual((await list(ann)).map((t) => t.id));
    expect(all.filter((t) => [a.id, b.id].includes(t.id)).map((t) => t.completed)).toEqual([true, true]);
    expect(all.every((t) => t.completed)).toBe(true);

    const undone = (await (
      await ann.fetch('/api/todos/complete-all', { json: { completed: false } })
    ).json()) as TodoJson[];
    expect(undone.every((t) => !t.completed)).toBe(true);
    expect((await list(bob)).find((t) => t.id === bobs.id)).toMatchObject({ completed: false });
  });

  it.each([
    ['no body', undefined, 415, 'unsupported_media_type'],
    ['a missing field', {}, 400, 'validation_failed'],
    ['a string instead of a boolean', { completed: 'true' }, 400, 'validation_failed'],
    ['an extra field', { completed: true, userId: 1 }, 400, 'validation_failed'],
  ])('refuses complete-all with %s', async (_label, json, status, code) => {
    const before = await list(ann);
    const response = await ann.fetch('/api/todos/complete-all', json === undefined ? { method: 'POST' } : { json });
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    expect(await list(ann)).toEqual(before);
  });

  it('refuses malformed JSON and other methods on the bulk routes', async () => {
    const malformed = await ann.fetch('/api/todos/complete-all', {
      method: 'POST',
      body: '{"completed":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('invalid_json');
    for (const [method, path, allow] of [
      ['GET', '/api/todos/complete-all', 'POST'],
      ['GET', '/api/todos/completed', 'DELETE'],
      ['POST', '/api/todos/completed', 'DELETE'],
    ] as const) {
      const response = await ann.fetch(path, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
    }
  });

  it('clears only the user’s completed todos, in one request, and answers their ids', async () => {
    await ann.fetch('/api/todos/complete-all', { json: { completed: false } });
    const keep = await add(ann, 'keep');
    const done1 = await add(ann, 'done 1', true);
    const done2 = await add(ann, 'done 2', true);
    const bobsDone = await add(bob, 'bob’s done', true);

    const cleared = await ann.fetch('/api/todos/completed', { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toEqual({ deletedIds: [done1.id, done2.id] });
    expect((await list(ann)).map((t) => t.id)).toContain(keep.id);
    expect((await list(ann)).some((t) => t.completed)).toBe(false);
    expect((await list(bob)).map((t) => t.id)).toContain(bobsDone.id);
    expect(await (await ann.fetch('/api/todos/completed', { method: 'DELETE' })).json()).toEqual({ deletedIds: [] });
  });

  // Filling 999 todos needs the database handle, which only the Postgres mode exposes; the same
  // limit on PGlite is covered by tests/integration/todos-bulk.test.ts.
  it.skipIf(mode === 'local')(
    `answers 409 todo_limit_reached after ${TODO_LIMIT} todos, for the API and the form`,
    async () => {
      const email = uniqueEmail('full');
      const { client: full } = await signedInClient(app.database!, app.server.url, email);
      await app.database!.query(
        `INSERT INTO todos (user_id, content)
       SELECT id, 'filler ' || n FROM users, generate_series(1, $2::int) AS n WHERE email = $1`,
        [email, TODO_LIMIT - 1],
      );
      expect((await full.fetch('/api/todos', { json: { content: 'number 1000' } })).status).toBe(201);

      const refused = await full.fetch('/api/todos', { json: { content: 'number 1001' } });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toEqual({
        error: { code: 'todo_limit_reached', message: expect.stringContaining('1,000') },
      });
      const form = await full.fetch('/todos/add', { form: { content: 'number 1001', filter: 'active' } });
      expect(form.status).toBe(303);
      expect(form.headers.get('location')).toBe('/todos?filter=active&error=limit');
      expect(await (await full.fetch('/todos?filter=active&error=limit')).text()).toContain('at most 1,000 todos');
      expect(await list(full)).toHaveLength(TODO_LIMIT);
      // Other users are unaffected.
      expect((await bob.fetch('/api/todos', { json: { content: 'still fine' } })).status).toBe(201);
    },
  );
});
