/**
 * The island's state rules (optimistic changes, rollback, ordering, refresh), driven through a
 * scripted API whose answers the test releases one by one, so every interleaving is explicit.
 * The browser tests cover the same rules against the real server; these pin down the orderings
 * a browser test can't force reliably.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '#todos/client.ts';
import type { Todo } from '#todos/schema.server.ts';
import { TodoStore, type TodoApi } from '#todos/store.ts';

interface Call {
  method: keyof TodoApi;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** An API whose every call waits until the test answers it. */
function scriptedApi() {
  const calls: Call[] = [];
  const record =
    (method: keyof TodoApi) =>
    (...args: unknown[]) =>
      new Promise((resolve, reject) => calls.push({ method, args, resolve, reject }));
  const api = {
    listTodos: record('listTodos'),
    createTodo: record('createTodo'),
    updateTodo: record('updateTodo'),
    deleteTodo: record('deleteTodo'),
    completeAll: record('completeAll'),
    clearCompleted: record('clearCompleted'),
    restoreTodos: record('restoreTodos'),
  } as unknown as TodoApi;
  return { api, calls };
}

const todo = (id: number, content: string, completed = false): Todo => ({
  id,
  content,
  completed,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
});

/** Lets pending promise continuations (and the store's zero-delay timers) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

const view = (store: TodoStore) => store.getSnapshot().items.map((i) => `${i.content}:${i.completed ? 'x' : ' '}`);

describe('TodoStore', () => {
  it('ends rapid toggles in the last chosen state with one PATCH in flight at a time', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'milk')], api);
    for (const completed of [true, false, true, false, true]) store.setCompleted('1', completed);
    await settle();
    expect(calls.map((c) => [c.method, c.args])).toEqual([['updateTodo', [1, { completed: true }]]]);

    calls[0]!.resolve(todo(1, 'milk', true)); // the screen already says done: nothing more to send
    await settle();
    expect(calls).toHaveLength(1);

    store.setCompleted('1', false);
    store.setCompleted('1', true);
    store.setCompleted('1', false);
    await settle();
    expect(calls[1]!.args).toEqual([1, { completed: false }]);
    store.setCompleted('1', true); // changed again while the request is out
    calls[1]!.resolve(todo(1, 'milk', false));
    await settle();
    expect(calls[2]!.args).toEqual([1, { completed: true }]);
    calls[2]!.resolve(todo(1, 'milk', true));
    await settle();
    expect(view(store)).toEqual(['milk:x']);
  });

  it.each([
    ['the server refuses', new ApiError(500, 'internal_error', 'The server had a problem.')],
    ['the network fails', new ApiError(0, 'network_error', 'Could not reach the server.')],
  ])('puts a toggled todo back when %s, with a message', async (_label, error) => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'milk'), todo(2, 'bread', true)], api);
    store.setCompleted('1', true);
    expect(view(store)).toEqual(['milk:x', 'bread:x']);
    await settle();
    calls[0]!.reject(error);
    await settle();
    expect(view(store)).toEqual(['milk: ', 'bread:x']);
    expect(store.getSnapshot().message?.text).toBe(`Your change to “milk” wasn’t saved. ${error.message}`);
  });

  it('removes a refused new todo and says why (the limit, for example)', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([], api);
    const added = store.add('  one too many  ');
    expect(view(store)).toEqual(['one too many: ']);
    await settle();
    calls[0]!.reject(new ApiError(409, 'todo_limit_reached', 'You can have at most 1,000 todos.'));
    expect(await added).toBe(false);
    expect(view(store)).toEqual([]);
    expect(store.getSnapshot().message?.text).toBe('“one too many” wasn’t added. You can have at most 1,000 todos.');
  });

  it('sends mark-all only after earlier requests are answered, and later ones only after it', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a'), todo(2, 'b')], api);
    store.setCompleted('1', true);
    await settle();
    store.setAllCompleted(false);
    expect(view(store)).toEqual(['a: ', 'b: ']);
    await settle();
    expect(calls.map((c) => c.method)).toEqual(['updateTodo']); // mark-all waits for the PATCH

    calls[0]!.resolve(todo(1, 'a', true));
    await settle();
    expect(calls.map((c) => c.method)).toEqual(['updateTodo', 'completeAll']);
    expect(calls[1]!.args).toEqual([false]);

    store.setCompleted('2', true); // made after mark-all: must reach the server after it
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve([todo(1, 'a'), todo(2, 'b')]);
    await settle();
    expect(calls.map((c) => [c.method, c.args])).toContainEqual(['updateTodo', [2, { completed: true }]]);
    expect(view(store)).toEqual(['a: ', 'b:x']);
  });

  it('puts every todo back when mark-all fails', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a', true), todo(2, 'b')], api);
    store.setAllCompleted(true);
    expect(view(store)).toEqual(['a:x', 'b:x']);
    await settle();
    calls[0]!.reject(new ApiError(500, 'internal_error', 'The server had a problem.'));
    await settle();
    expect(view(store)).toEqual(['a:x', 'b: ']);
    expect(store.getSnapshot().message?.text).toMatch(/^Marking all as complete failed\./);
    expect(calls).toHaveLength(1); // nothing left to send
  });

  it('clears completed todos at once and restores them, in order, if the server refuses', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a', true), todo(2, 'b'), todo(3, 'c', true)], api);
    store.clearCompleted();
    expect(view(store)).toEqual(['b: ']);
    expect(store.getSnapshot().announcement).toBe('Cleared 2 completed todos. Undo is available.');
    await settle();
    calls[0]!.reject(new ApiError(0, 'network_error', 'Could not reach the server.'));
    await settle();
    expect(view(store)).toEqual(['a:x', 'b: ', 'c:x']);
    expect(store.getSnapshot().message?.text).toMatch(/^Clearing completed todos failed\./);
  });

  it('also drops todos another tab completed when the server cleared them', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a', true), todo(2, 'b')], api);
    store.clearCompleted();
    await settle();
    calls[0]!.resolve({ deletedIds: [1, 2] });
    await settle();
    expect(view(store)).toEqual([]);
  });

  it('refreshes from the server when idle, keeping row keys', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a'), todo(2, 'b')], api);
    const before = store.getSnapshot().items[0]!.key;
    const refreshed = store.refresh();
    calls[0]!.resolve([todo(1, 'a', true), todo(3, 'from the other tab')]);
    await refreshed;
    expect(view(store)).toEqual(['a:x', 'from the other tab: ']);
    expect(store.getSnapshot().items[0]!.key).toBe(before);
  });

  it('an ended session (the live stream said so) shows "sign in again" without asking the server', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'milk')], api);
    store.sessionEnded();
    await settle();
    expect(calls).toEqual([]);
    expect(store.getSnapshot().message).toMatchObject({ text: 'Your session has ended.', signIn: true });
    expect(view(store)).toEqual(['milk: ']);
  });

  it('a refresh asked for while one is on its way (a live change) fetches again after it', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a')], api);
    const first = store.refresh();
    void store.refresh(); // the change it announces may be newer than the list on its way
    expect(calls).toHaveLength(1);
    calls[0]!.resolve([todo(1, 'a')]);
    await first;
    await settle();
    expect(calls.map((c) => c.method)).toEqual(['listTodos', 'listTodos']);
    calls[1]!.resolve([todo(1, 'a'), todo(2, 'b')]);
    await settle();
    expect(view(store)).toEqual(['a: ', 'b: ']);
    expect(calls).toHaveLength(2);
  });

  it('does not let a refresh undo a change under way; refreshes once it is answered', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a')], api);
    const refreshed = store.refresh();
    store.setCompleted('1', true); // made while the list was on its way: that list is stale
    calls[0]!.resolve([todo(1, 'a', false)]);
    await refreshed;
    expect(view(store)).toEqual(['a:x']);

    await settle();
    expect(calls.map((c) => c.method)).toEqual(['listTodos', 'updateTodo']);
    calls[1]!.resolve(todo(1, 'a', true));
    await settle();
    expect(calls.map((c) => c.method)).toEqual(['listTodos', 'updateTodo', 'listTodos']);
    calls[2]!.resolve([todo(1, 'a', true)]);
    await settle();
    expect(view(store)).toEqual(['a:x']);
  });

  it('undoes a delete: back in its place at once, restored on the server after the delete', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a'), todo(2, 'b'), todo(3, 'c')], api);
    store.remove('2');
    expect(store.getSnapshot().undoOffer).toMatchObject({ text: 'Deleted “b”', ids: [2] });
    expect(store.getSnapshot().announcement).toBe('Deleted “b”. Undo is available.');
    store.undo(); // before the delete was answered
    expect(view(store)).toEqual(['a: ', 'b: ', 'c: ']);
    expect(store.getSnapshot().undoOffer).toBeNull();
    await settle();
    // The restore waits for the delete it undoes.
    expect(calls.map((c) => c.method)).toEqual(['deleteTodo']);
    calls[0]!.resolve(undefined);
    await settle();
    expect(calls.map((c) => [c.method, c.args])).toEqual([
      ['deleteTodo', [2]],
      ['restoreTodos', [[2]]],
    ]);
    calls[1]!.resolve([todo(2, 'b')]);
    await settle();
    expect(view(store)).toEqual(['a: ', 'b: ', 'c: ']);
    expect(store.getSnapshot().items.map((i) => i.key)).toEqual(['1', '2', '3']);
    expect(store.getSnapshot().message).toBeNull();
  });

  it('undoes clear completed with the ids the server deleted, and keeps a change made meanwhile', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a', true), todo(2, 'b'), todo(3, 'c', true)], api);
    store.clearCompleted();
    await settle();
    calls[0]!.resolve({ deletedIds: [1, 3, 7] }); // 7: completed in another tab
    await settle();
    expect(store.getSnapshot().undoOffer?.ids).toEqual([1, 3, 7]);
    store.undo();
    expect(view(store)).toEqual(['a:x', 'b: ', 'c:x']);
    store.setCompleted('3', false); // while the restore is on its way
    await settle();
    expect(calls[1]).toMatchObject({ method: 'restoreTodos', args: [[1, 3, 7]] });
    calls[1]!.resolve([todo(1, 'a', true), todo(3, 'c', true), todo(7, 'other tab', true)]);
    await settle();
    expect(view(store)).toEqual(['a:x', 'b: ', 'c: ', 'other tab:x']);
    expect(calls[2]).toMatchObject({ method: 'updateTodo', args: [3, { completed: false }] });
  });

  it('takes restored todos away again when the restore fails, and offers Retry for a network failure', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a'), todo(2, 'b')], api);
    store.remove('1');
    await settle();
    calls[0]!.resolve(undefined);
    await settle();
    store.undo();
    await settle();
    calls[1]!.reject(new ApiError(0, 'network_error', 'Could not reach the server.'));
    await settle();
    expect(view(store)).toEqual(['b: ']);
    expect(store.getSnapshot().message).toMatchObject({ text: expect.stringMatching(/^Undo failed/) });
    expect(store.getSnapshot().message?.retry).toBeTypeOf('function');

    store.retry();
    expect(view(store)).toEqual(['a: ', 'b: ']);
    await settle();
    expect(calls[2]).toMatchObject({ method: 'restoreTodos', args: [[1]] });
    calls[2]!.resolve([todo(1, 'a')]);
    await settle();
    expect(view(store)).toEqual(['a: ', 'b: ']);
    expect(store.getSnapshot().message).toBeNull();
  });

  it('withdraws the undo offer when the delete itself fails', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a')], api);
    store.remove('1');
    await settle();
    calls[0]!.reject(new ApiError(503, 'database_unavailable', 'The database is unavailable.'));
    await settle();
    expect(view(store)).toEqual(['a: ']);
    expect(store.getSnapshot().undoOffer).toBeNull();
  });

  it('offers the undo of a delete the page learnt about from its URL, restoring todos it never showed', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a'), todo(4, 'd')], api, null, [2, 3]);
    expect(store.getSnapshot().undoOffer).toMatchObject({ text: 'Deleted 2 todos', ids: [2, 3] });
    store.undo();
    await settle();
    calls[0]!.resolve([todo(2, 'b'), todo(3, 'c')]);
    await settle();
    expect(view(store)).toEqual(['a: ', 'b: ', 'c: ', 'd: ']);
  });

  it.each([
    ['a network failure', new ApiError(0, 'network_error', 'Could not reach the server.'), true],
    ['a server error', new ApiError(500, 'internal_error', 'The server had a problem.'), true],
    ['a refusal', new ApiError(400, 'invalid_body', 'content must not be empty'), false],
    ['a gone todo', new ApiError(404, 'not_found', 'No such todo.'), false],
    ['an ended session', new ApiError(401, 'unauthorized', 'Sign in.'), false],
  ])('offers Retry after %s: %s', async (_label, error, retryable) => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a')], api);
    store.setCompleted('1', true);
    await settle();
    calls[0]!.reject(error);
    await settle();
    expect(store.getSnapshot().message?.retry !== undefined).toBe(retryable);
  });

  it('retries a failed change with the same explicit state', async () => {
    const { api, calls } = scriptedApi();
    const store = new TodoStore([todo(1, 'a'), todo(2, 'b', true)], api);
    store.setContent('1', 'renamed');
    store.setCompleted('2', false);
    await settle();
    calls[0]!.reject(new ApiError(0, 'network_error', 'Could not reach the server.'));
    calls[1]!.resolve(todo(2, 'b'));
    await settle();
    expect(view(store)).toEqual(['a: ', 'b: ']);
    store.retry();
    expect(view(store)).toEqual(['renamed: ', 'b: ']);
    await settle();
    expect(calls[2]).toMatchObject({ method: 'updateTodo', args: [1, { content: 'renamed' }] });

    // Add, delete, mark all and clear are retried the same way.
    for (const [act, method, args] of [
      [() => void store.add('new one'), 'createTodo', ['new one']],
      [() => store.remove('2'), 'deleteTodo', [2]],
      [() => store.setAllCompleted(true), 'completeAll', [true]],
    ] as const) {
      calls[calls.length - 1]!.resolve(calls[calls.length - 1]!.method === 'updateTodo' ? todo(1, 'renamed') : []);
      await settle();
      const before = calls.length;
      act();
      await settle();
      calls[before]!.reject(new ApiError(502, 'bad_gateway', 'Bad gateway.'));
      await settle();
      store.retry();
      await settle();
      expect(calls[before + 1]).toMatchObject({ method, args });
    }
  });
});
