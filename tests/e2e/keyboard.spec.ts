/**
 * Keyboard only: the sign-in form, and adding, completing and (not) editing a todo, reached with
 * Tab and used with Enter, Space and Escape; no clicks.
 */
import type { Locator, Page } from '@playwright/test';
import {
  expect,
  expectSaved,
  finishSignIn,
  latestSignInLink,
  test,
  todoCounter,
  todoItems,
  uniqueEmail,
  waitForTodoApp,
} from './fixtures.ts';

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, target: Locator, maxTabs = 30): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target, `reachable with at most ${maxTabs} Tab presses`).toBeFocused({ timeout: 1 });
}

test('the sign-in form works with the keyboard alone', async ({ page }) => {
  const email = uniqueEmail('keys');
  await page.goto('/signin');

  const field = page.getByLabel('Email address');
  await tabTo(page, field);
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Email me a sign-in link' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();

  // The link itself comes by email; opening it is not part of the form.
  await page.goto(await latestSignInLink(page, email));
  await finishSignIn(page);
  await waitForTodoApp(page);
});

test('adding, completing and cancelling an edit with the keyboard alone', async ({ page, user }) => {
  void user; // signed in, on /todos
  await tabTo(page, page.getByLabel('New todo'));
  await page.keyboard.type('Typed, not clicked');
  await expectSaved(page, 'POST', () => page.keyboard.press('Enter'));
  await expect(todoItems(page)).toHaveText([/^Typed, not clicked/]);
  await expect(page.getByLabel('New todo')).toBeFocused();
  await expect(page.getByLabel('New todo')).toHaveValue('');

  const checkbox = page.getByRole('checkbox', { name: 'Typed, not clicked', exact: true });
  await tabTo(page, checkbox);
  await expectSaved(page, 'PATCH', () => page.keyboard.press('Space'));
  await expect(checkbox).toBeChecked();
  await expect(todoCounter(page)).toHaveText('0 items left');

  // Edit opens a focused field; Escape puts the text back and focus on the Edit button.
  const edit = page.getByRole('button', { name: /^Edit\b.*Typed, not clicked/ });
  await tabTo(page, edit);
  await page.keyboard.press('Enter');
  const editor = page.getByRole('textbox', { name: 'Edit todo' });
  await expect(editor).toBeFocused();
  await page.keyboard.type('Never saved');
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(edit).toBeFocused();
  await expect(todoItems(page)).toHaveText([/^Typed, not clicked/]);

  await page.reload();
  await waitForTodoApp(page);
  await expect(todoItems(page)).toHaveText([/^Typed, not clicked/]);
  await expect(checkbox).toBeChecked();
});
