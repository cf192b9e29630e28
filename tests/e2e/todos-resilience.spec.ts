/**
 * When things go wrong or happen fast: a refused or failed request puts the item back and says
 * so in the alert region; rapid clicks end in the last chosen state, on screen and on the server;
 * two pages of the same user converge when a page regains focus.
 */
import type { Page, Route } from '@playwright/test';
import {
  addTodo,
  allowConsoleErrors,
  expect,
  expectSaved,
  test,
  todoCheckbox,
  todoCounter,
  todoItems,
  waitForTodoApp,
} from './fixtures.ts';

interface TodoJson {
  content: string;
  completed: boolean;
}
const serverTodos = async (page: Page) => (await (await page.request.get('/api/todos')).json()) as TodoJson[];

/**
 * The person switches back to `page`'s tab: it was hidden and becomes visible again. Headless
 * Chromium keeps every page "visible" and fires neither event on bringToFront, so the browser's
 * part is played here; `how` picks which event the app gets.
 */
async function returnTo(page: Page, how: 'visibility' | 'focus'): Promise<void> {
  await page.bringToFront();
  await page.evaluate((event) => {
    if (event === 'focus') {
      window.dispatchEvent(new FocusEvent('focus'));
      return;
    }
    const setState = (state: DocumentVisibilityState) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    setState('hidden');
    setState('visible');
  }, how);
}

/** Answers matching requests as a broken server would, with the API's error shape. */
function serverError(route: Route): Promise<void> {
  return route.fulfill({
    status: 500,
    json: { error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } },
  });
}

test('a refused toggle, a failed delete and a failed clear roll back with a message', async ({ page, user }) => {
  void user;
  allowConsoleErrors(page, /Failed to load resource/);
  await addTodo(page, 'stays open');
  await addTodo(page, 'stays put');
  const alert = page.getByRole('alert');

  await page.route('**/api/todos/*', (route) =>
    route.request().method() === 'PATCH' ? serverError(route) : route.fallback(),
  );
  await todoCheckbox(page, 'stays open').click();
  await expect(alert).toHaveText(/Your change to “stays open” wasn’t saved\. Something went wrong on our side/);
  await expect(todoCheckbox(page, 'stays open')).not.toBeChecked();
  await expect(todoCounter(page)).toHaveText('2 items left');
  await page.unrouteAll();

  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toBeEmpty();

  await page.route('**/api/todos/*', (route) =>
    route.request().method() === 'DELETE' ? route.abort('internetdisconnected') : route.fallback(),
  );
  await page.getByRole('button', { name: 'Delete stays put', exact: true }).click();
  await expect(alert).toHaveText(/“stays put” wasn’t deleted\. Could not reach the server/);
  await expect(todoItems(page)).toHaveText([/^stays open/, /^stays put/]);
  await page.unrouteAll();

  await expectSaved(page, 'PATCH', () => todoCheckbox(page, 'stays put').click());
  await page.route('**/api/todos/completed', serverError);
  await page.getByRole('button', { name: 'Clear completed' }).click();
  await expect(alert).toHaveText(/Clearing completed todos failed/);
  await expect(todoItems(page)).toHaveText([/^stays open/, /^stays put/]);
  await expect(todoCheckbox(page, 'stays put')).toBeChecked();
  await page.unrouteAll();

  // The server was never changed by the failed attempts.
  expect(await serverTodos(page)).toEqual([
    expect.objectContaining({ content: 'stays open', completed: false }),
    expect.objectContaining({ content: 'stays put', completed: true }),
  ]);
});

test('rapid clicks end in the last chosen state, on screen and on the server', async ({ page, user }) => {
  void user;
  await addTodo(page, 'flip me');
  // A slow server, so clicks overlap with requests in flight.
  await page.route('**/api/todos/*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await route.fallback();
  });
  const box = todoCheckbox(page, 'flip me');
  const patches: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PATCH') patches.push(r.postData() ?? '');
  });

  for (const [clicks, finalState] of [
    [7, true],
    [4, true],
    [5, false],
  ] as const) {
    for (let i = 0; i < clicks; i++) await box.click();
    if (finalState) await expect(box).toBeChecked();
    else await expect(box).not.toBeChecked();
    await expect.poll(async () => (await serverTodos(page))[0]?.completed).toBe(finalState);
    // Settled: the screen still shows the last choice once every answer has arrived.
    await page.waitForTimeout(400);
    if (finalState) await expect(box).toBeChecked();
    else await expect(box).not.toBeChecked();
  }
  expect(patches.length).toBeLessThan(16); // coalesced, not one request per click
  for (const body of patches) expect(['{"completed":true}', '{"completed":false}']).toContain(body);
});

test('two pages of the same user converge when a page regains focus (the fallback without the live stream)', async ({
  page,
  user,
}) => {
  void user;
  // Live sync would bring the changes at once (tests/e2e/live-sync.spec.ts): here its stream is
  // refused, as a proxy that doesn't pass streams would, and the focus refresh must still work.
  await page.context().route('**/api/todos/events*', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: '{"error":{"code":"unavailable","message":"off"}}',
    }),
  );
  allowConsoleErrors(page, /status of 503/);
  await page.reload();
  await waitForTodoApp(page);
  await addTodo(page, 'shared');
  const other = await page.context().newPage();
  allowConsoleErrors(other, /status of 503/);
  await other.goto('/todos');
  await waitForTodoApp(other);
  await expect(todoItems(other)).toHaveText([/^shared/]);

  await addTodo(page, 'added in the first page');
  await expectSaved(page, 'PATCH', () => todoCheckbox(page, 'shared').click());

  // Nothing happens to the other page until it's looked at again; then it catches up.
  await other.waitForTimeout(300);
  await expect(todoItems(other)).toHaveText([/^shared/]);
  await returnTo(other, 'visibility');
  await expect(todoItems(other)).toHaveText([/^shared/, /^added in the first page/]);
  await expect(todoCheckbox(other, 'shared')).toBeChecked();
  await expect(todoCounter(other)).toHaveText('1 item left');

  await expectSaved(other, 'DELETE', () => other.getByRole('button', { name: 'Delete shared', exact: true }).click());
  await returnTo(page, 'focus');
  await expect(todoItems(page)).toHaveText([/^added in the first page/]);
  await expect(todoCounter(page)).toHaveText('1 item left');
  await other.close();
});
