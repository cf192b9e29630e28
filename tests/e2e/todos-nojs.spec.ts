/**
 * With JavaScript disabled, /todos still does everything through plain HTML forms that post to
 * the server and are redirected (303) back to the same filter.
 */
import type { Page } from '@playwright/test';
import { expect, signIn, test, todoCheckbox, todoCounter, todoItems, uniqueEmail } from './fixtures.ts';

test.use({ javaScriptEnabled: false });

/** Types into "New todo" and presses Enter: a real form post and a redirect, no script. */
async function addByForm(page: Page, text: string): Promise<void> {
  await page.getByLabel('New todo').fill(text);
  await page.getByLabel('New todo').press('Enter');
}

test('lists, adds, toggles, edits, deletes, marks all and clears completed without JavaScript', async ({ page }) => {
  await signIn(page, uniqueEmail('nojs'), { hydrated: false });
  await expect(page.getByRole('heading', { level: 1, name: 'Your todos' })).toBeVisible();
  await expect(page.getByText('Nothing to do yet')).toBeVisible();
  const posts: string[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST') posts.push(`${new URL(r.url()).pathname} ${r.status()}`);
  });

  await test.step('adding (trimmed; empty ignored)', async () => {
    await addByForm(page, '  milk  ');
    await addByForm(page, 'bread');
    await addByForm(page, '   ');
    await addByForm(page, 'eggs');
    await expect(todoItems(page)).toHaveText([/^milk/, /^bread/, /^eggs/]);
    await expect(todoCounter(page)).toHaveText('3 items left');
    expect(posts).toEqual(['/todos/add 303', '/todos/add 303', '/todos/add 303', '/todos/add 303']);
  });

  await test.step('toggling, and the filter kept across the redirect', async () => {
    await todoCheckbox(page, 'milk').click();
    await expect(todoCheckbox(page, 'milk')).toBeChecked();
    await expect(todoCounter(page)).toHaveText('2 items left');

    await page.getByRole('link', { name: 'Active' }).click();
    await expect(page).toHaveURL(/\/todos\?filter=active$/);
    await expect(todoItems(page)).toHaveText([/^bread/, /^eggs/]);
    await todoCheckbox(page, 'bread').click();
    await expect(page).toHaveURL(/\/todos\?filter=active$/);
    await expect(todoItems(page)).toHaveText([/^eggs/]);
    await page.getByRole('link', { name: 'All' }).click();
    await expect(page).toHaveURL(/\/todos$/);
  });

  await test.step('editing: Edit opens the editor on the server, Enter saves, Cancel leaves it', async () => {
    await page.getByRole('button', { name: 'Edit eggs', exact: true }).click();
    await expect(page).toHaveURL(/\/todos\?edit=\d+$/);
    const editor = page.getByRole('textbox', { name: 'Edit todo' });
    await expect(editor).toHaveValue('eggs');
    await editor.fill('  free-range eggs ');
    await editor.press('Enter');
    await expect(page).toHaveURL(/\/todos$/);
    await expect(todoItems(page)).toHaveText([/^milk/, /^bread/, /^free-range eggs/]);

    await page.getByRole('button', { name: 'Edit bread', exact: true }).click();
    await page.getByRole('textbox', { name: 'Edit todo' }).fill('never saved');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(todoItems(page)).toHaveText([/^milk/, /^bread/, /^free-range eggs/]);
  });

  await test.step('refused input comes back with a message, nothing stored', async () => {
    const input = page.getByLabel('New todo');
    await input.evaluate((el) => el.removeAttribute('maxlength')); // as a hand-made request could
    await input.fill('x'.repeat(501));
    await input.press('Enter');
    await expect(page).toHaveURL(/\/todos\?error=too_long$/);
    await expect(page.getByRole('alert')).toContainText('That todo is too long');
    await expect(todoItems(page)).toHaveCount(3);
    // The text is back in the input to shorten, not lost; a reload no longer brings it.
    await expect(page.getByLabel('New todo')).toHaveValue('x'.repeat(501));
    await page.goto('/todos');
    await expect(page.getByLabel('New todo')).toHaveValue('');
  });

  await test.step('mark all complete, then incomplete', async () => {
    const markAll = page.getByRole('checkbox', { name: 'Mark all as complete' });
    await expect(markAll).not.toBeChecked();
    await markAll.click();
    await expect(markAll).toBeChecked();
    await expect(todoCounter(page)).toHaveText('0 items left');
    await markAll.click();
    await expect(markAll).not.toBeChecked();
    await expect(todoCounter(page)).toHaveText('3 items left');
  });

  await test.step('saving empty text deletes; Delete deletes; Clear completed clears', async () => {
    await page.getByRole('button', { name: 'Edit free-range eggs', exact: true }).click();
    await page.getByRole('textbox', { name: 'Edit todo' }).fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(todoItems(page)).toHaveText([/^milk/, /^bread/]);

    await page.getByRole('button', { name: 'Delete milk', exact: true }).click();
    await expect(todoItems(page)).toHaveText([/^bread/]);

    await expect(page.getByRole('button', { name: 'Clear completed' })).toHaveCount(0);
    await todoCheckbox(page, 'bread').click();
    await page.getByRole('link', { name: 'Completed' }).click();
    await page.getByRole('button', { name: 'Clear completed' }).click();
    await expect(page).toHaveURL(/\/todos\?filter=completed&undo=\d+$/);
    await expect(page.getByText('Nothing to do yet')).toBeVisible();
    await expect(todoItems(page)).toHaveCount(0);
  });

  expect(
    posts.every((line) => line.endsWith(' 303')),
    posts.join('\n'),
  ).toBe(true);
});
