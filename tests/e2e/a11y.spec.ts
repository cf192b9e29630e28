/**
 * Automated accessibility checks (axe-core) on the landing page, the sign-in page and the todo
 * list: empty, with active and completed items, filtered, with an editor open and with a message.
 * Serious and critical violations fail the test; each is listed with its rule and elements.
 */
import { addTodo, expect, expectSaved, test, waitForTodoApp } from './fixtures.ts';
import { expectNoSeriousViolations } from './page-checks.ts';

test('the landing page and the sign-in page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, '/');
  await page.goto('/signin');
  await expect(page.getByLabel('Email address')).toBeVisible();
  await expectNoSeriousViolations(page, '/signin');
});

test('the todo list: empty, with items, filtered, editing, and with a message', async ({ page, user }) => {
  void user;
  await expectNoSeriousViolations(page, '/todos (empty)');

  await addTodo(page, 'an open todo');
  await addTodo(page, 'a finished todo');
  await expectSaved(page, 'PATCH', () => page.getByRole('checkbox', { name: 'a finished todo', exact: true }).click());
  await expectNoSeriousViolations(page, '/todos (with items)');

  await page.getByRole('link', { name: 'Completed' }).click();
  await expectNoSeriousViolations(page, '/todos?filter=completed');

  await page.getByRole('button', { name: 'Edit a finished todo', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Edit todo' })).toBeFocused();
  await expectNoSeriousViolations(page, '/todos (editing)');

  await page.goto('/todos?error=too_long');
  await waitForTodoApp(page);
  await expect(page.getByRole('alert')).toContainText('too long');
  await expectNoSeriousViolations(page, '/todos (with a message)');
});
