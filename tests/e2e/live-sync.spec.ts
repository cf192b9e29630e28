/**
 * Live sync (issue #14): the same person on a laptop and a phone (two browser contexts, so two
 * sessions; the phone 390 px wide). Every kind of change made on one appears on the other within
 * a second, with the focus refresh switched off, so only the live stream can have brought it;
 * an edit in progress on the other device survives a remote change; and "sign out everywhere"
 * ends the other device's stream.
 */
import type { Browser } from '@playwright/test';
import {
  addTodo,
  expect,
  expectSaved,
  signIn,
  test,
  todoCheckbox,
  todoItems,
  uniqueEmail,
  waitForTodoApp,
  watchBrowserErrors,
  withoutFocusRefresh,
} from './fixtures.ts';

/** Within this, a change made elsewhere must be on screen (the bound). */
const LIVE_MS = 1_000;

async function device(browser: Browser, email: string, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = watchBrowserErrors(page);
  await withoutFocusRefresh(page);
  await signIn(page, email);
  await expect(page.locator('.todo-app')).toHaveAttribute('data-live', 'open');
  return { context, page, errors };
}

test('a change on one device appears on the other within 1 s, for every kind of change', async ({ browser }) => {
  const email = uniqueEmail('live');
  const laptop = await device(browser, email, { width: 1280, height: 800 });
  const phone = await device(browser, email, { width: 390, height: 844 });
  try {
    const { page: l } = laptop;
    const { page: p } = phone;

    await addTodo(l, 'milk');
    await expect(todoItems(p)).toHaveText([/milk/], { timeout: LIVE_MS });

    await addTodo(p, 'bread');
    await expect(todoItems(l)).toHaveText([/milk/, /bread/], { timeout: LIVE_MS });

    const editor = l.getByRole('textbox', { name: 'Edit todo' });
    await l.getByText('milk', { exact: true }).dblclick();
    await editor.fill('oat milk');
    await expectSaved(l, 'PATCH', () => editor.press('Enter'));
    await expect(todoItems(p)).toHaveText([/oat milk/, /bread/], { timeout: LIVE_MS });

    await expectSaved(p, 'PATCH', () => todoCheckbox(p, 'bread').check());
    await expect(todoCheckbox(l, 'bread')).toBeChecked({ timeout: LIVE_MS });

    await expectSaved(l, 'POST', () => l.getByRole('checkbox', { name: 'Mark all as complete' }).check());
    await expect(todoCheckbox(p, 'oat milk')).toBeChecked({ timeout: LIVE_MS });

    await expectSaved(l, 'DELETE', () => l.getByRole('button', { name: 'Clear completed' }).click());
    await expect(todoItems(p)).toHaveCount(0, { timeout: LIVE_MS });

    await addTodo(p, 'eggs');
    await expect(todoItems(l)).toHaveText([/eggs/], { timeout: LIVE_MS });
    await expectSaved(l, 'DELETE', () => l.getByRole('button', { name: 'Delete eggs', exact: true }).click());
    await expect(todoItems(p)).toHaveCount(0, { timeout: LIVE_MS });

    laptop.errors.assertNone();
    phone.errors.assertNone();
  } finally {
    await laptop.context.close();
    await phone.context.close();
  }
});

test('a remote change leaves an edit in progress alone', async ({ browser }) => {
  const email = uniqueEmail('editing');
  const laptop = await device(browser, email, { width: 1280, height: 800 });
  const phone = await device(browser, email, { width: 390, height: 844 });
  try {
    await addTodo(laptop.page, 'call mum');
    await expect(todoItems(phone.page)).toHaveText([/call mum/], { timeout: LIVE_MS });
    const editor = laptop.page.getByRole('textbox', { name: 'Edit todo' });
    await laptop.page.getByText('call mum', { exact: true }).dblclick();
    await editor.fill('call mum on Sunday');

    await addTodo(phone.page, 'water plants');
    await expect(todoItems(laptop.page)).toHaveCount(2, { timeout: LIVE_MS });
    await expect(editor).toBeFocused();
    await expect(editor).toHaveValue('call mum on Sunday');
    await expectSaved(laptop.page, 'PATCH', () => editor.press('Enter'));
    await expect(todoItems(phone.page)).toHaveText([/call mum on Sunday/, /water plants/], { timeout: LIVE_MS });
  } finally {
    await laptop.context.close();
    await phone.context.close();
  }
});

test('"sign out everywhere" on the laptop ends the phone’s stream', async ({ browser }) => {
  const email = uniqueEmail('everywhere');
  const laptop = await device(browser, email, { width: 1280, height: 800 });
  const phone = await device(browser, email, { width: 390, height: 844 });
  try {
    const listReads: string[] = [];
    phone.page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/todos') listReads.push(request.method());
    });
    await laptop.page.goto('/account');
    await laptop.page.getByRole('button', { name: /sign out everywhere/i }).click();
    await expect(phone.page.locator('.todo-app')).toHaveAttribute('data-live', 'closed', { timeout: LIVE_MS });
    // The stream's end says the session is over: the phone is told to sign in again at once,
    // without asking the server for a list it would refuse (a 401 Chrome reports as an error).
    await expect(phone.page.getByRole('link', { name: 'Sign in again' })).toBeVisible({ timeout: LIVE_MS });
    expect(listReads).toEqual([]);
    phone.errors.assertNone();
  } finally {
    await laptop.context.close();
    await phone.context.close();
  }
});

test('pages without a signed-in list open no stream', async ({ page }) => {
  const streams: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/todos/events')) streams.push(request.url());
  });
  await page.goto('/');
  await page.goto('/todos'); // signed out: the sign-in page
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, uniqueEmail('once'));
  await waitForTodoApp(page);
  await expect.poll(() => streams.length).toBe(1);
});
