/**
 * The whole todo list with the keyboard alone, in tab order, with a visible focus indicator on
 * every control reached: add, mark one and all, edit, filter, clear completed (and its undo
 * offer), delete.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, expectSaved, test, todoCounter, todoItems } from './fixtures.ts';

/** Tab once and check that `target` got focus and shows it (an outline from :focus-visible). */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  await page.keyboard.press(key);
  await expect(target).toBeFocused();
  const outline = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style, 'a visible focus outline').not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

test('every todo action works from the keyboard, in a sensible tab order, with visible focus', async ({
  page,
  user,
}) => {
  void user;
  const input = page.getByLabel('New todo');
  await input.focus();
  for (const text of ['first', 'second']) {
    await page.keyboard.type(text);
    await expectSaved(page, 'POST', () => page.keyboard.press('Enter'));
  }
  await expect(input).toBeFocused();

  const markAll = page.getByRole('checkbox', { name: 'Mark all as complete' });
  const first = page.getByRole('checkbox', { name: 'first', exact: true });
  await tabTo(page, page.getByRole('button', { name: 'Add', exact: true }));
  await tabTo(page, markAll);
  await tabTo(page, first);
  await expectSaved(page, 'PATCH', () => page.keyboard.press('Space'));
  await expect(first).toBeChecked();
  await expect(todoCounter(page)).toHaveText('1 item left');

  await tabTo(page, page.getByRole('button', { name: 'Edit first', exact: true }));
  await page.keyboard.press('Enter');
  const editor = page.getByRole('textbox', { name: 'Edit todo' });
  await expect(editor).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.type(' (edited)');
  await expectSaved(page, 'PATCH', () => page.keyboard.press('Enter'));
  await expect(page.getByRole('button', { name: 'Edit first (edited)', exact: true })).toBeFocused();

  await tabTo(page, page.getByRole('button', { name: 'Delete first (edited)', exact: true }));
  await tabTo(page, page.getByRole('checkbox', { name: 'second', exact: true }));
  await tabTo(page, page.getByRole('button', { name: 'Edit second', exact: true }));
  await tabTo(page, page.getByRole('button', { name: 'Delete second', exact: true }));

  const filters = page.getByRole('navigation', { name: 'Filter todos' });
  await tabTo(page, filters.getByRole('link', { name: 'All' }));
  await tabTo(page, filters.getByRole('link', { name: 'Active' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/todos\?filter=active$/);
  await expect(todoItems(page)).toHaveText([/^second/]);
  await tabTo(page, filters.getByRole('link', { name: 'Completed' }));
  await page.keyboard.press('Enter');
  await expect(todoItems(page)).toHaveText([/^first \(edited\)/]);

  await tabTo(page, page.getByRole('button', { name: 'Clear completed' }));
  await expectSaved(page, 'DELETE', () => page.keyboard.press('Enter'));
  await expect(todoItems(page)).toHaveCount(0);
  await expect(input).toBeFocused(); // focus isn't lost with the button that went away

  await tabTo(page, page.getByRole('button', { name: 'Add', exact: true }));
  // The undo offer of that clear sits between the new-todo form and the list.
  const offer = page.getByTestId('undo-offer');
  await tabTo(page, offer.getByRole('button', { name: 'Undo' }));
  await tabTo(page, offer.getByRole('link', { name: 'Close' }));
  await tabTo(page, markAll);
  await expectSaved(page, 'POST', () => page.keyboard.press('Space'));
  await expect(markAll).toBeChecked();
  await expect(todoItems(page)).toHaveText([/^second/]); // now completed, so under Completed

  await tabTo(page, page.getByRole('checkbox', { name: 'second', exact: true }));
  await tabTo(page, page.getByRole('button', { name: 'Edit second', exact: true }));
  await tabTo(page, page.getByRole('button', { name: 'Delete second', exact: true }));
  await expectSaved(page, 'DELETE', () => page.keyboard.press('Enter'));
  await expect(page.getByText('Nothing to do yet')).toBeVisible();
  await expect(input).toBeFocused();
});
