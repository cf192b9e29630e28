/**
 * Undo, retry and the phone layout in Chromium against the production build: undo after a delete
 * and after clear completed brings back the same todos (ids, text, state, order), also after a
 * reload in between and without JavaScript; a failed change's Retry sends it again; at 320 px
 * nothing scrolls sideways and every row control is a 44 px tap target.
 */
import type { Page } from '@playwright/test';
import {
  addTodo,
  allowConsoleErrors,
  expect,
  expectSaved,
  signIn,
  test,
  todoCheckbox,
  todoItems,
  todoMenu,
  uniqueEmail,
} from './fixtures.ts';
import { expectNoSeriousViolations } from './page-checks.ts';

interface TodoJson {
  id: number;
  content: string;
  completed: boolean;
  createdAt: string;
}
const serverTodos = async (page: Page) => (await (await page.request.get('/api/todos')).json()) as TodoJson[];
const undoOffer = (page: Page) => page.getByTestId('undo-offer');

/** Clicks Undo and waits for the restore to be answered. */
async function undo(page: Page): Promise<void> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/todos/restore'),
    undoOffer(page).getByRole('button', { name: 'Undo' }).click(),
  ]);
  expect(response.status()).toBe(200);
}

test('undo after a delete brings back the same todo in its place, without taking focus', async ({ page, user }) => {
  void user;
  for (const text of ['one', 'two', 'three']) await addTodo(page, text);
  await todoCheckbox(page, 'two').click();
  await expect.poll(async () => (await serverTodos(page))[1]?.completed).toBe(true);
  const before = await serverTodos(page);

  // Keyboard: Delete on "two"; focus stays in the list, the offer is announced and visible.
  await page.getByRole('button', { name: 'Delete two', exact: true }).focus();
  await expectSaved(page, 'DELETE', () => page.keyboard.press('Enter'));
  await expect(undoOffer(page)).toBeVisible();
  await expect(undoOffer(page)).toContainText('Deleted “two”');
  await expect(page.getByRole('status').filter({ hasText: 'Undo is available' })).toHaveText(
    'Deleted “two”. Undo is available.',
  );
  await expect(todoItems(page)).toHaveText([/^one/, /^three/]);
  await expect(todoCheckbox(page, 'three')).toBeFocused(); // focus stays in the list, not on the offer
  await expect(page).toHaveURL(new RegExp(`undo=${before[1]!.id}$`));

  // The offer is reachable from the keyboard: Shift+Tab from the list.
  await page.getByRole('checkbox', { name: 'one', exact: true }).focus();
  for (
    let i = 0;
    i < 4 &&
    !(await undoOffer(page)
      .getByRole('button', { name: 'Undo' })
      .evaluate((b) => b === document.activeElement));
    i++
  ) {
    await page.keyboard.press('Shift+Tab');
  }
  await expect(undoOffer(page).getByRole('button', { name: 'Undo' })).toBeFocused();
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/todos/restore'),
    page.keyboard.press('Enter'),
  ]);
  expect(response.status()).toBe(200);
  await expect(todoItems(page)).toHaveText([/^one/, /^two/, /^three/]);
  await expect(todoCheckbox(page, 'two')).toBeChecked();
  await expect(todoCheckbox(page, 'two')).toBeFocused(); // focus follows the restored todo
  expect(await serverTodos(page)).toEqual(before);
  await expect(undoOffer(page)).toHaveCount(0);
  await expect(page).toHaveURL(/\/todos$/);
});

test('undo after clear completed, with a reload in between, restores the same ids and order', async ({
  page,
  user,
}) => {
  void user;
  for (const text of ['a', 'b', 'c', 'd']) await addTodo(page, text);
  for (const text of ['a', 'c']) await expectSaved(page, 'PATCH', () => todoCheckbox(page, text).click());
  const before = await serverTodos(page);

  await expectSaved(page, 'DELETE', () => page.getByRole('button', { name: 'Clear completed' }).click());
  await expect(undoOffer(page)).toContainText('Cleared 2 completed todos');
  await expect(todoItems(page)).toHaveText([/^b/, /^d/]);

  await page.reload(); // the tab is reloaded (or closed and reopened) right after
  await expect(undoOffer(page)).toContainText('Deleted 2 todos');
  await undo(page);
  await expect(todoItems(page)).toHaveText([/^a/, /^b/, /^c/, /^d/]);
  expect(await serverTodos(page)).toEqual(before);

  // The same for a single delete.
  await expectSaved(page, 'DELETE', () => page.getByRole('button', { name: 'Delete b', exact: true }).click());
  await page.reload();
  await undo(page);
  expect(await serverTodos(page)).toEqual(before);
  await expect(todoItems(page)).toHaveText([/^a/, /^b/, /^c/, /^d/]);
});

test('the undo offer leaves after about 8 seconds, and the delete stands', async ({ page, user }) => {
  void user;
  await addTodo(page, 'gone for good');
  await expectSaved(page, 'DELETE', () =>
    page.getByRole('button', { name: 'Delete gone for good', exact: true }).click(),
  );
  await expect(undoOffer(page)).toBeVisible();
  await page.mouse.move(0, 0);
  await expect(undoOffer(page)).toHaveCount(0, { timeout: 12_000 });
  await expect(page).toHaveURL(/\/todos$/);
  expect(await serverTodos(page)).toEqual([]);
});

test('Retry sends a failed change again', async ({ page, user }) => {
  void user;
  allowConsoleErrors(page, /Failed to load resource/);
  await addTodo(page, 'try again');
  let failures = 1;
  await page.route('**/api/todos/*', (route) => {
    if (route.request().method() !== 'PATCH' || failures-- <= 0) return route.fallback();
    return route.abort('internetdisconnected');
  });
  await todoCheckbox(page, 'try again').click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Your change to “try again” wasn’t saved. Could not reach the server');
  await expect(todoCheckbox(page, 'try again')).not.toBeChecked();

  await expectSaved(page, 'PATCH', () => alert.getByRole('button', { name: 'Retry' }).click());
  await expect(todoCheckbox(page, 'try again')).toBeChecked();
  await expect(alert).toBeEmpty();
  expect((await serverTodos(page))[0]).toMatchObject({ content: 'try again', completed: true });

  // A failed undo offers Retry too.
  await expectSaved(page, 'DELETE', () => page.getByRole('button', { name: 'Delete try again', exact: true }).click());
  await page.route('**/api/todos/restore', (route) => route.abort('internetdisconnected'), { times: 1 });
  await undoOffer(page).getByRole('button', { name: 'Undo' }).click();
  await expect(alert).toContainText('Undo failed');
  await expect(todoItems(page)).toHaveCount(0);
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/todos/restore'),
    alert.getByRole('button', { name: 'Retry' }).click(),
  ]);
  expect(response.status()).toBe(200);
  await expect(todoItems(page)).toHaveText([/^try again/]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a delete offers an Undo form that restores the todo', async ({ page }) => {
    await signIn(page, uniqueEmail('nojs-undo'), { hydrated: false });
    for (const text of ['keep', 'oops']) {
      await page.getByLabel('New todo').fill(text);
      await page.getByLabel('New todo').press('Enter');
      await expect(todoItems(page).last()).toHaveText(new RegExp(`^${text}`));
    }
    const before = await serverTodos(page);
    await page.getByRole('button', { name: 'Delete oops', exact: true }).click();
    await expect(page).toHaveURL(/\/todos\?undo=\d+$/);
    await expect(todoItems(page)).toHaveText([/^keep/]);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page).toHaveURL(/\/todos$/);
    await expect(todoItems(page)).toHaveText([/^keep/, /^oops/]);
    expect(await serverTodos(page)).toEqual(before);
  });
});

const LONG = 'Call the plumber about the dripping kitchen tap before the weekend, and ask about the boiler';

for (const width of [320, 390]) {
  test(`a ${width} px phone: no sideways scroll, full text, 44 px row controls, the editor spans the row`, async ({
    page,
    user,
  }) => {
    void user;
    await page.setViewportSize({ width, height: 740 });
    await addTodo(page, LONG);
    await addTodo(page, 'short');
    await expectSaved(page, 'PATCH', () => todoCheckbox(page, 'short').click());

    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);

    // The whole text shows (wrapping), beside the check box.
    const text = todoItems(page).first().locator('.todo-item__text');
    const shown = await text.evaluate((el) => ({ clipped: el.scrollWidth > el.clientWidth, height: el.clientHeight }));
    expect(shown.clipped).toBe(false);
    expect(shown.height).toBeGreaterThan(30); // more than one line
    await expect(text).toHaveText(LONG);

    const sizeOf = async (name: string, locator: ReturnType<Page['locator']>) => {
      const box = await locator.boundingBox();
      expect(box, `${name} is on screen`).not.toBeNull();
      expect.soft(box!.width, `${name} width`).toBeGreaterThanOrEqual(44);
      expect.soft(box!.height, `${name} height`).toBeGreaterThanOrEqual(44);
    };
    const row = todoItems(page).first();
    await sizeOf('check box', row.getByRole('checkbox'));
    // A <summary>: a disclosure button to screen readers, named after the todo.
    const menu = todoMenu(page, LONG);
    await expect(menu).toHaveAccessibleName(`Actions for ${LONG}`);
    await sizeOf('actions menu', menu);
    await expect(row.getByRole('button', { name: /^Delete/ })).toBeHidden();
    await menu.click();
    await sizeOf('Edit', row.getByRole('button', { name: /^Edit/ }));
    await sizeOf('Delete', row.getByRole('button', { name: /^Delete/ }));
    expect(await overflow()).toBeLessThanOrEqual(0);
    await sizeOf('Mark all as complete', page.getByRole('checkbox', { name: 'Mark all as complete' }));
    for (const name of ['All', 'Active', 'Completed'])
      await sizeOf(name, page.getByRole('link', { name, exact: true }));
    await sizeOf('Clear completed', page.getByRole('button', { name: 'Clear completed' }));

    // The editor spans the row: its field is as wide as the row minus the check box.
    await row.getByRole('button', { name: /^Edit/ }).click();
    const editor = page.getByRole('textbox', { name: 'Edit todo' });
    const [field, rowBox] = [await editor.boundingBox(), await row.boundingBox()];
    expect(field!.width).toBeGreaterThan(rowBox!.width - 70);
    // All of the text selected, and its start in view (not only its end).
    expect(
      await editor.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd, el.scrollLeft]),
    ).toEqual([0, LONG.length, 0]);
    await sizeOf('Save', row.getByRole('button', { name: 'Save' }));
    await sizeOf('Cancel', row.getByRole('link', { name: 'Cancel' }));
    expect(await overflow()).toBeLessThanOrEqual(0);
    await editor.press('Escape');

    // The undo offer's controls too.
    await menu.click();
    await expectSaved(page, 'DELETE', () => row.getByRole('button', { name: /^Delete/ }).click());
    await sizeOf('Undo', undoOffer(page).getByRole('button', { name: 'Undo' }));
    await sizeOf('Close', undoOffer(page).getByRole('link', { name: 'Close' }));
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
}

test('a wide screen: the list is centred, the row actions inline', async ({ page, user }) => {
  void user;
  await page.setViewportSize({ width: 1280, height: 800 });
  await addTodo(page, 'centred');
  const list = await page.getByRole('list', { name: 'Todos' }).boundingBox();
  const left = list!.x;
  const right = 1280 - (list!.x + list!.width);
  expect(Math.abs(left - right)).toBeLessThan(24);
  expect(list!.width).toBeGreaterThan(560);
  await expect(page.getByRole('button', { name: 'Delete centred', exact: true })).toBeVisible();
  await expect(todoMenu(page, 'centred')).toBeHidden();
});

test('axe: a phone with a row menu open, the undo offer and a Retry alert, light and dark', async ({ page, user }) => {
  void user;
  allowConsoleErrors(page, /Failed to load resource/);
  await page.setViewportSize({ width: 390, height: 740 });
  await addTodo(page, 'kept');
  await addTodo(page, 'deleted');
  await page.route('**/api/todos/*', (route) =>
    route.request().method() === 'PATCH' ? route.abort('internetdisconnected') : route.fallback(),
  );
  await todoCheckbox(page, 'kept').click();
  await expect(page.getByRole('alert').getByRole('button', { name: 'Retry' })).toBeVisible();
  const row = todoItems(page).last();
  await todoMenu(page, 'deleted').click();
  await expectSaved(page, 'DELETE', () => row.getByRole('button', { name: 'Delete deleted', exact: true }).click());
  await todoMenu(page, 'kept').click();
  await expect(undoOffer(page)).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(page, `the todo list with an undo offer (${colorScheme})`);
  }
});
