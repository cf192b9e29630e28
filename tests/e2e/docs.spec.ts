/**
 * The docs (Starlight at /docs) in Chromium: Pagefind search finds a page by a word of its body,
 * code is highlighted and copyable, the account menu shows for a signed-in reader, and no page
 * type breaks the Content-Security-Policy (Astro's hashes completed at build time,
 * src/build/csp-inline-hashes.ts).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { watchCsp } from './page-checks.ts';

const searchDialog = (page: Page) => page.getByRole('dialog');

async function search(page: Page, query: string): Promise<void> {
  await page.getByRole('button', { name: 'Search' }).click();
  await searchDialog(page).getByRole('textbox', { name: 'Search' }).fill(query);
}

/**
 * Searches for "nodemailer", which appears in the body of the email providers page and nowhere
 * else, and returns the result once it shows.
 */
async function searchForBodyOnlyWord(page: Page): Promise<Locator> {
  await search(page, 'nodemailer');
  const result = searchDialog(page)
    .getByRole('link', { name: /Email providers/ })
    .first();
  await expect(result).toBeVisible();
  return result;
}

test('search finds a docs page by a word only its body has', async ({ page }) => {
  await page.goto('/docs');
  await (await searchForBodyOnlyWord(page)).click();
  await expect(page).toHaveURL(/\/docs\/email-providers\/?(#.*)?$/);
});

test('the search code and index load only when search is opened', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto('/docs/configuration');
  await page.waitForLoadState('networkidle');
  const searchCode = (path: string) => path.startsWith('/pagefind/') || /\/_astro\/ui-core\./.test(path);
  expect(requested.filter(searchCode)).toEqual([]);
  await searchForBodyOnlyWord(page);
  expect(requested.filter(searchCode).length).toBeGreaterThan(0);
});

test('code blocks are highlighted and their copy button copies the code', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/docs/api');
  const block = page.locator('.expressive-code').first();
  await expect(block).toBeVisible();
  const colours = await block
    .locator('pre code span[style]')
    .evaluateAll((spans) => [...new Set(spans.map((span) => getComputedStyle(span).color))]);
  expect(colours.length, `distinct token colours: ${colours.join(', ')}`).toBeGreaterThan(1);

  const code = await block.locator('pre code').innerText();
  await block.hover();
  await block.getByRole('button', { name: /copy/i }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.trim()).toBe(code.trim());
});

test('a signed-in reader sees their account menu on a docs page', async ({ page, user }) => {
  await page.goto('/docs/security-model');
  const menu = page.getByRole('navigation', { name: 'Account' });
  await expect(menu.getByRole('link', { name: 'My todos' })).toBeVisible();
  await expect(menu).toContainText(user.email);
});

test('docs pages have heading anchors, a table of contents, prev/next and an edit link', async ({ page }) => {
  await page.goto('/docs/configuration');
  await expect(page.locator('a.sl-anchor-link[href="#email"]')).toHaveCount(1);
  // The table of contents follows scrolling: the section scrolled to is marked current.
  const toc = page.locator('starlight-toc nav');
  await toc.getByRole('link', { name: 'Database and secrets' }).click();
  await expect(page).toHaveURL(/#database-and-secrets$/);
  await expect(toc.getByRole('link', { name: 'Database and secrets' })).toHaveAttribute('aria-current', 'true');
  await page.evaluate(() => document.getElementById('site-and-server')!.scrollIntoView({ block: 'start' }));
  await expect(toc.getByRole('link', { name: 'Site and server' })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('link', { name: /Edit this page/ })).toHaveAttribute(
    'href',
    /\/src\/content\/docs\/docs\/configuration\.md$/,
  );
  await page.getByRole('link', { name: /Next.*Email providers/s }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Email providers');
});

test('on a phone the docs menu opens and closes by keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/docs/getting-started');
  const menuButton = page.getByRole('button', { name: 'Menu' });
  const sidebarLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Todo API' });
  await expect(sidebarLink).toBeHidden();
  await menuButton.focus();
  await page.keyboard.press('Enter');
  await expect(sidebarLink).toBeVisible();
  // The theme picker, hidden in the phone header, is in the menu.
  await expect(page.getByRole('combobox', { name: 'Select theme' }).last()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(sidebarLink).toBeHidden();
});

const CSP_PAGES: [string, (page: Page) => Promise<void>][] = [
  ['the docs index', async (page) => void (await page.goto('/docs'))],
  ['a docs page with code', async (page) => void (await page.goto('/docs/api'))],
  [
    'search opened with a query',
    async (page) => {
      await page.goto('/docs/getting-started');
      await searchForBodyOnlyWord(page);
    },
  ],
  ['the landing page', async (page) => void (await page.goto('/'))],
];

for (const [name, visit] of CSP_PAGES) {
  test(`no CSP violations: ${name}`, async ({ page }) => {
    const violations = await watchCsp(page);
    await visit(page);
    await page.waitForLoadState('networkidle');
    expect(await violations()).toEqual([]);
  });
}
