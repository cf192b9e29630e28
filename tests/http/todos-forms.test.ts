/**
 * The no-JavaScript todo forms (`POST /todos/<action>`) and the server-rendered list, over HTTP
 * against the production build: every action, its 303 back to the same filter, validation,
 * ownership and the origin check. What a browser without JavaScript sends, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.ts';
import { APP_MODES, type RunningApp } from '../support/running-app.ts';
import {
  addTodo as add,
  appWithTwoUsers,
  listTodos as list,
  signedIn,
  postTodoForm as post,
} from '../support/todo-users.ts';

/** A `<form>` that posts to /todos/<action> (attributes in any order). */
const postForm = (action: string) => new RegExp(`<form(?=[^>]*\\saction="/todos/${action}")(?=[^>]*\\smethod="post")`);

describe.each(APP_MODES)('no-JS todo forms (%s)', (mode) => {
  let app: RunningApp;
  let ann: HttpClient;
  let bob: HttpClient;

  beforeAll(async () => {
    ({ app, ann, bob } = await appWithTwoUsers(mode));
  });
  afterAll(async () => app?.stop());

  it('sends a visitor without a session to sign in, changing nothing', async () => {
    const anonymous = new HttpClient(app.server.url);
    expect(await post(anonymous, 'add', { content: 'sneaky' })).toBe('/signin?callbackUrl=%2Ftodos');
  });

  it('adds a trimmed todo and redirects back to the same filter; ignores empty text', async () => {
    expect(await post(ann, 'add', { content: '  buy milk  ', filter: 'active' })).toBe('/todos?filter=active');
    expect((await list(ann)).map((t) => t.content)).toEqual(['buy milk']);
    expect(await post(ann, 'add', { content: '   ', filter: 'completed' })).toBe('/todos?filter=completed');
    expect(await post(ann, 'add', { content: 'bread', filter: 'bogus' })).toBe('/todos');
    expect((await list(ann)).map((t) => t.content)).toEqual(['buy milk', 'bread']);
  });

  it.each([
    ['too long', { content: 'x'.repeat(501) }, '/todos?error=too_long'],
    ['with a NUL byte', { content: 'a\u0000b' }, '/todos?error=invalid'],
    ['without a content field', { title: 'x' }, '/todos?error=invalid'],
    ['over the body limit', { content: 'y'.repeat(20_000), filter: 'active' }, '/todos?error=too_long'],
  ])('refuses a new todo %s with a message, storing nothing', async (_label, form, location) => {
    const before = await list(ann);
    expect(await post(ann, 'add', form)).toBe(location);
    expect(await list(ann)).toEqual(before);
  });

  it('gives text refused for its length back in the new-todo input, once', async () => {
    const client = await signedIn(app, 'refused-add');
    const text = `${'long & <odd> “text” '.repeat(30)}end`; // over 500 characters
    const response = await client.fetch('/todos/add', { form: { content: text } });
    expect(response.headers.get('location')).toBe('/todos?error=too_long');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('todo_refused_text='))!;
    expect(cookie).toMatch(/; Path=\/todos/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Max-Age=60/);

    const page = await client.fetch('/todos?error=too_long');
    const html = await page.text();
    const escaped = text.trim().replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    expect(html).toMatch(new RegExp(`id="new-todo"[^>]*value="${escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    expect(client.cookies.has('todo_refused_text')).toBe(false); // the page removed it
    expect(await (await client.fetch('/todos')).text()).not.toContain('long &amp; &lt;odd&gt;');
  });

  it('gives a refused edit its text back in the reopened editor', async () => {
    const client = await signedIn(app, 'refused-edit');
    const [todo] = [await add(client, 'short')];
    const text = 'z'.repeat(600);
    expect(await post(client, 'edit', { id: String(todo!.id), content: text })).toBe(
      `/todos?edit=${todo!.id}&error=too_long`,
    );
    const html = await (await client.fetch(`/todos?edit=${todo!.id}&error=too_long`)).text();
    expect(html).toMatch(new RegExp(`name="content"[^>]*value="${text}"`));
    expect((await list(client)).map((t) => t.content)).toEqual(['short']);
  });

  it('keeps the refused-text cookie under 4 KB whatever was posted', async () => {
    const client = await signedIn(app, 'refused-big');
    const response = await client.fetch('/todos/add', { form: { content: '€'.repeat(1200) } });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('todo_refused_text='))!;
    expect(cookie.length).toBeLessThan(4096);
    expect(await (await client.fetch('/todos')).text()).toMatch(/id="new-todo"[^>]*value="€{100,}/);
  });

  it('ignores a refused-text cookie that is not ours', async () => {
    const client = await signedIn(app, 'refused-forged');
    for (const value of [
      'not json',
      '{"for":"new"}',
      '{"for":-1,"text":"x"}',
      encodeURIComponent('{"for":"new","text":5}'),
    ]) {
      client.cookies.set('todo_refused_text', value);
      const page = await client.fetch('/todos');
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/id="new-todo"[^>]*value=""/);
    }
  });

  it('refuses a body that isn’t a urlencoded form', async () => {
    const response = await ann.fetch('/todos/add', {
      method: 'POST',
      body: JSON.stringify({ content: 'json' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/todos?error=invalid');
  });

  it('toggles with explicit states, edits, deletes with empty text, and deletes', async () => {
    const todo = await add(ann, 'walk the dog');
    const id = String(todo.id);
    for (let i = 0; i < 2; i++) {
      // The same post twice leaves it completed: a resubmitted form can't flip it back.
      expect(await post(ann, 'toggle', { id, completed: 'true', filter: 'completed' })).toBe('/todos?filter=completed');
      expect((await list(ann)).find((t) => t.id === todo.id)?.completed).toBe(true);
    }
    expect(await post(ann, 'toggle', { id, completed: 'false' })).toBe('/todos');
    expect((await list(ann)).find((t) => t.id === todo.id)?.completed).toBe(false);

    expect(await post(ann, 'edit', { id, content: '  walk the cat ', filter: 'active' })).toBe('/todos?filter=active');
    expect((await list(ann)).find((t) => t.id === todo.id)?.content).toBe('walk the cat');
    expect(await post(ann, 'edit', { id, content: 'z'.repeat(501), filter: 'active' })).toBe(
      `/todos?filter=active&edit=${id}&error=too_long`,
    );
    expect((await list(ann)).find((t) => t.id === todo.id)?.content).toBe('walk the cat');
    // A delete sends the browser to the list with the undo offer (tests/http/todos-undo.test.ts).
    expect(await post(ann, 'edit', { id, content: '   ' })).toBe(`/todos?undo=${id}`);
    expect((await list(ann)).some((t) => t.id === todo.id)).toBe(false);

    const other = await add(ann, 'to delete');
    expect(await post(ann, 'delete', { id: String(other.id), filter: 'all' })).toBe(`/todos?undo=${other.id}`);
    expect((await list(ann)).some((t) => t.id === other.id)).toBe(false);
    expect(await post(ann, 'delete', { id: String(other.id) })).toBe('/todos?error=not_found');
  });

  it.each([
    ['toggle', { completed: 'true' }],
    ['toggle', { id: 'abc', completed: 'true' }],
    ['toggle', { id: '1', completed: 'yes' }],
    ['delete', { id: '-4' }],
    ['edit', { id: '1.5', content: 'x' }],
    ['complete-all', { completed: 'maybe' }],
  ])('refuses %s with %j as invalid', async (action, form) => {
    const before = await list(ann);
    expect(await post(ann, action, form)).toBe('/todos?error=invalid');
    expect(await list(ann)).toEqual(before);
  });

  it('marks all complete / incomplete and clears completed, for the user only', async () => {
    const bobs = await add(bob, 'bob’s task');
    await add(ann, 'one');
    await add(ann, 'two');
    expect(await post(ann, 'complete-all', { completed: 'true', filter: 'active' })).toBe('/todos?filter=active');
    expect((await list(ann)).every((t) => t.completed)).toBe(true);
    expect(await post(ann, 'complete-all', { completed: 'false' })).toBe('/todos');
    expect((await list(ann)).some((t) => t.completed)).toBe(false);

    const [first] = await list(ann);
    await post(ann, 'toggle', { id: String(first!.id), completed: 'true' });
    await post(bob, 'toggle', { id: String(bobs.id), completed: 'true' });
    expect(await post(ann, 'clear-completed', { filter: 'completed' })).toBe(
      `/todos?filter=completed&undo=${first!.id}`,
    );
    const remaining = await list(ann);
    expect(remaining.some((t) => t.id === first!.id || t.completed)).toBe(false);
    expect((await list(bob)).find((t) => t.id === bobs.id)).toMatchObject({ completed: true });
  });

  it('never touches another user’s todo: not found, unchanged', async () => {
    const secret = await add(ann, 'ann’s secret');
    const id = String(secret.id);
    expect(await post(bob, 'toggle', { id, completed: 'true' })).toBe('/todos?error=not_found');
    expect(await post(bob, 'edit', { id, content: 'pwned' })).toBe(`/todos?error=not_found`);
    expect(await post(bob, 'edit', { id, content: '' })).toBe('/todos?error=not_found');
    expect(await post(bob, 'delete', { id })).toBe('/todos?error=not_found');
    expect((await list(ann)).find((t) => t.id === secret.id)).toMatchObject({
      content: 'ann’s secret',
      completed: false,
    });
  });

  it('refuses a cross-origin form post with 403 and changes nothing', async () => {
    const before = await list(ann);
    const response = await ann.fetch('/todos/add', {
      form: { content: 'csrf' },
      headers: { origin: 'http://evil.example' },
    });
    expect(response.status).toBe(403);
    const crossSite = await ann.fetch('/todos/clear-completed', {
      form: {},
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect(await list(ann)).toEqual(before);
  });

  it('answers unknown actions with 404 and a GET of an action URL with a redirect to the list', async () => {
    expect((await ann.fetch('/todos/explode', { form: {} })).status).toBe(404);
    const get = await ann.fetch('/todos/add');
    expect(get.status).toBe(303);
    expect(get.headers.get('location')).toBe('/todos');
  });

  it('renders the list as working forms, filtered by ?filter=, with an editor for ?edit=', async () => {
    const fresh = await signedIn(app, 'render');
    const open = await add(fresh, 'open <b>task</b>');
    const done = await add(fresh, 'finished task');
    await post(fresh, 'toggle', { id: String(done.id), completed: 'true' });

    const all = await (await fresh.fetch('/todos')).text();
    for (const action of ['add', 'toggle', 'delete', 'complete-all', 'clear-completed']) {
      expect(all, action).toMatch(postForm(action));
    }
    expect(all).toContain('open &lt;b&gt;task&lt;/b&gt;');
    expect(all).toContain('finished task');
    expect(all).toContain('1 item left');

    const active = await (await fresh.fetch('/todos?filter=active')).text();
    expect(active).toContain('open &lt;b&gt;task&lt;/b&gt;');
    expect(active).not.toContain('>finished task<');
    expect(active).toMatch(/<a href="\/todos\?filter=active" aria-current="page"/);

    const completed = await (await fresh.fetch('/todos?filter=completed')).text();
    expect(completed).toContain('>finished task<');
    expect(completed).not.toContain('open &lt;b&gt;task&lt;/b&gt;<');

    const editing = await (await fresh.fetch(`/todos?edit=${open.id}`)).text();
    expect(editing).toMatch(postForm('edit'));
    expect(editing).toMatch(/name="content"[^>]*value="open &lt;b&gt;task&lt;\/b&gt;"/);

    // Unknown codes and reflected text never reach the page; known codes show their message.
    const withError = await (await fresh.fetch('/todos?error=%3Cscript%3Ealert(1)%3C/script%3E')).text();
    expect(withError).not.toContain('<script>alert(1)');
    expect(await (await fresh.fetch('/todos?error=too_long')).text()).toContain('That todo is too long');
  });

  it('labels every control by ids the page holds, taken from the todos (not React useId ids)', async () => {
    const fresh = await signedIn(app, 'ids');
    await add(fresh, 'first');
    await add(fresh, 'second');
    const page = await (await fresh.fetch('/todos')).text();
    const ids = new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const references = [...page.matchAll(/\s(?:aria-labelledby|aria-describedby|for)="([^"]+)"/g)].flatMap((m) =>
      m[1]!.split(' '),
    );
    expect(references.length).toBeGreaterThanOrEqual(3);
    for (const id of references) expect(ids, `#${id} is referenced`).toContain(id);
    // Ids come from the todos (TodoRow), never from useId().
    for (const id of ids) expect(id).not.toMatch(/^_\w*R_/);
  });

  it("hands the island its props as JSON that no todo's text can break out of", async () => {
    const fresh = await signedIn(app, 'props');
    const nasty = '</script><script>alert(1)</script><!-- & "quotes"';
    await add(fresh, nasty);
    await add(fresh, 'plain');
    const page = await (await fresh.fetch('/todos?filter=active')).text();
    expect(page).not.toContain('<script>alert(1)');
    const json = /<script type="application\/json" id="todo-app-props">([^<]*)<\/script>/.exec(page)?.[1];
    expect(json, 'the props element, with no "<" inside').toBeDefined();
    const props = JSON.parse(json!) as { initialTodos: { content: string }[]; initialFilter: string };
    expect(props.initialFilter).toBe('active');
    expect(props.initialTodos.map((todo) => todo.content)).toEqual((await list(fresh)).map((t) => t.content));
    expect(props.initialTodos.map((todo) => todo.content)).toContain(nasty);
  });

  it('renders the account menu in place on the todo page: no server-island request, no second session read', async () => {
    const fresh = await signedIn(app, 'menu');
    const page = await (await fresh.fetch('/todos')).text();
    expect(page).toMatch(/<nav class="user-menu[^"]*" aria-label="Account">[\s\S]*?Sign out/);
    expect(page).not.toContain('/_server-islands/');
  });
});
