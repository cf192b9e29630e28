/**
 * The one journey that goes through every screen by hand: landing page, sign-in form, "check your
 * email", the local mailbox, the magic link, the todo list (add, complete, edit, delete, reload),
 * the account menu, sign-out, and the sign-in wall afterwards.
 */
import {
  addTodo,
  expect,
  expectSaved,
  finishSignIn,
  test,
  todoCounter,
  todoItems,
  uniqueEmail,
  waitForTodoApp,
} from './fixtures.ts';

test('a visitor signs in by magic link, keeps todos across a reload, and signs out', async ({ page }) => {
  const email = uniqueEmail('journey');
  const header = page.getByRole('banner');

  await test.step('the landing page offers sign-in in the header', async () => {
    await page.goto('/');
    // The account menu is a server island: it arrives after the prerendered page.
    await header.getByRole('link', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/signin$/);
  });

  await test.step('asking for a link', async () => {
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
  });

  await test.step('opening the link from the local mailbox', async () => {
    await page.getByRole('link', { name: 'local mailbox' }).click();
    await expect(page).toHaveURL(/\/dev\/mailbox$/);
    await page.getByRole('link', { name: `Open the sign-in link for ${email}` }).click();
    await finishSignIn(page);
    await waitForTodoApp(page);
    await expect(page.getByText('Nothing to do yet')).toBeVisible();
  });

  await test.step('adding three todos with Enter', async () => {
    await addTodo(page, 'Buy milk');
    await addTodo(page, 'Walk the dog');
    await addTodo(page, 'Write the tests');
    await expect(todoItems(page)).toHaveText([/^Buy milk/, /^Walk the dog/, /^Write the tests/]);
    await expect(todoCounter(page)).toHaveText('3 items left');
  });

  await test.step('completing one', async () => {
    const milk = page.getByRole('checkbox', { name: 'Buy milk', exact: true });
    await expectSaved(page, 'PATCH', () => milk.check());
    await expect(milk).toBeChecked();
    await expect(todoCounter(page)).toHaveText('2 items left');
  });

  await test.step('editing one (Edit, type, Enter)', async () => {
    await page.getByRole('button', { name: /^Edit\b.*Walk the dog/ }).click();
    const editor = page.getByRole('textbox', { name: 'Edit todo' });
    await expect(editor).toBeFocused();
    await editor.fill('Walk the cat');
    await expectSaved(page, 'PATCH', () => editor.press('Enter'));
    await expect(editor).toHaveCount(0);
    await expect(todoItems(page)).toHaveText([/^Buy milk/, /^Walk the cat/, /^Write the tests/]);
  });

  await test.step('deleting one', async () => {
    await expectSaved(page, 'DELETE', () => page.getByRole('button', { name: /Delete.*Write the tests/ }).click());
    await expect(todoItems(page)).toHaveText([/^Buy milk/, /^Walk the cat/]);
    await expect(todoCounter(page)).toHaveText('1 item left');
  });

  await test.step('a reload shows exactly what was saved', async () => {
    await page.reload();
    await waitForTodoApp(page);
    await expect(todoItems(page)).toHaveText([/^Buy milk/, /^Walk the cat/]);
    await expect(page.getByRole('checkbox', { name: 'Buy milk', exact: true })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Walk the cat', exact: true })).not.toBeChecked();
    await expect(todoCounter(page)).toHaveText('1 item left');
  });

  await test.step('the account menu shows who is signed in', async () => {
    await expect(header.getByText(email)).toBeVisible();
    await expect(header.getByRole('link', { name: 'My todos' })).toBeVisible();
  });

  const signedInCookies = await page.context().cookies();
  expect(signedInCookies.map((cookie) => cookie.name)).toContainEqual(expect.stringMatching(/session-token$/));

  await test.step('signing out from the header', async () => {
    await header.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(header.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(header.getByText(email)).toHaveCount(0);
  });

  await test.step('the todo list is behind the sign-in wall again', async () => {
    await page.goto('/todos');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Ftodos$/);
    await expect(page.getByLabel('Email address')).toBeVisible();
  });

  await test.step('the old session cookie no longer works (the session ended on the server)', async () => {
    await page.context().addCookies(signedInCookies);
    await page.goto('/todos');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Ftodos$/);
  });
});
