/**
 * Two people signed in at the same time, in separate browser contexts (separate cookie jars),
 * each see only their own todos, and can't change the other's even knowing its id.
 */
import {
  addTodo,
  expect,
  expectSaved,
  signIn,
  test,
  todoItems,
  uniqueEmail,
  waitForTodoApp,
  watchBrowserErrors,
} from './fixtures.ts';

test('two users never see or change each other’s todos', async ({ browser }) => {
  const alice = await browser.newContext();
  const bob = await browser.newContext();
  try {
    const alicePage = await alice.newPage();
    const bobPage = await bob.newPage();
    const browserErrors = [watchBrowserErrors(alicePage), watchBrowserErrors(bobPage)];
    await signIn(alicePage, uniqueEmail('alice'));
    await signIn(bobPage, uniqueEmail('bob'));

    const created = await expectSaved(alicePage, 'POST', async () => {
      await alicePage.getByLabel('New todo').fill('Alice’s secret plan');
      await alicePage.getByLabel('New todo').press('Enter');
    });
    const aliceTodoId = ((await created.json()) as { id: number }).id;
    await addTodo(bobPage, 'Bob’s shopping list');

    await alicePage.reload();
    await bobPage.reload();
    await waitForTodoApp(alicePage);
    await waitForTodoApp(bobPage);
    await expect(todoItems(alicePage)).toHaveText([/^Alice’s secret plan/]);
    await expect(todoItems(bobPage)).toHaveText([/^Bob’s shopping list/]);
    await expect(bobPage.getByText('Alice’s secret plan')).toHaveCount(0);

    // Bob's session, Alice's todo id: not found, and nothing changes for Alice.
    for (const response of [
      await bobPage.request.patch(`/api/todos/${aliceTodoId}`, { data: { completed: true, content: 'hijacked' } }),
      await bobPage.request.delete(`/api/todos/${aliceTodoId}`),
    ]) {
      expect(response.status(), `${response.url()} with another user’s session`).toBe(404);
    }
    const bobsList = (await (await bobPage.request.get('/api/todos')).json()) as { content: string }[];
    expect(bobsList.map((todo) => todo.content)).toEqual(['Bob’s shopping list']);

    await alicePage.reload();
    await waitForTodoApp(alicePage);
    await expect(todoItems(alicePage)).toHaveText([/^Alice’s secret plan/]);
    await expect(alicePage.getByRole('checkbox', { name: 'Alice’s secret plan', exact: true })).not.toBeChecked();
    for (const errors of browserErrors) errors.assertNone();
  } finally {
    await alice.close();
    await bob.close();
  }
});
