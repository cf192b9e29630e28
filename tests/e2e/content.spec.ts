/**
 * Content pages in Chromium: the site's own pages download no JavaScript file (only Astro's inline
 * island loader runs), the docs (Starlight) none of the search code until search is opened; the
 * account menu island fills in for anonymous and signed-in visitors, the pages pass an axe
 * accessibility scan, and the docs table of contents and sidebar lead to their targets.
 */
import AxeBuilder from '@axe-core/playwright';
import { test as plainTest, type Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const SITE_PAGES = ['/', '/features', '/pricing', '/about'];
const DOCS_PAGES = ['/docs', '/docs/getting-started', '/docs/architecture'];

/** Records every script the page downloads and the bytes of each. */
function watchScripts(page: Page): { urls: string[] } {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') urls.push(request.url());
  });
  return { urls };
}

const accountMenu = (page: Page) => page.getByRole('navigation', { name: 'Account' });

async function expectNoAxeViolations(page: Page): Promise<void> {
  const scan = await new AxeBuilder({ page }).analyze();
  expect(scan.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

for (const path of SITE_PAGES) {
  test(`${path}: no JavaScript downloads, the account menu arrives, no axe violations`, async ({ page }) => {
    const scripts = watchScripts(page);
    await page.goto(path);
    await expect(accountMenu(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(scripts.urls).toEqual([]);
    await expectNoAxeViolations(page);
  });
}

for (const path of DOCS_PAGES) {
  test(`${path}: no search code before search, the account menu arrives, no axe violations`, async ({ page }) => {
    const scripts = watchScripts(page);
    await page.goto(path);
    await expect(accountMenu(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(scripts.urls.filter((url) => url.includes('pagefind'))).toEqual([]);
    await expectNoAxeViolations(page);
  });
}

test('a signed-in visitor sees their menu on prerendered pages, still without JavaScript downloads', async ({
  page,
  user,
}) => {
  const scripts = watchScripts(page);
  await page.goto('/features');
  await expect(accountMenu(page).getByRole('link', { name: 'My todos' })).toBeVisible();
  await expect(accountMenu(page)).toContainText(user.email);
  await page.waitForLoadState('networkidle');
  expect(scripts.urls).toEqual([]);
});

test('the table of contents and the docs navigation lead where they say', async ({ page }) => {
  await page.goto('/docs/configuration');
  const toc = page.locator('starlight-toc').getByRole('navigation', { name: 'On this page' });
  await toc.getByRole('link', { name: 'Email' }).click();
  await expect(page).toHaveURL(/\/docs\/configuration#email$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Email' })).toBeInViewport();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deploying with Neon' }).click();
  await expect(page).toHaveURL(/\/docs\/deploying-with-neon$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deploying with Neon');
});

// Without the fixture's console-error watch: Chromium logs every 404 document as an error.
plainTest('an unknown address shows the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/docs/nothing-here');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page doesn’t exist');
  await page.getByRole('main').getByRole('link', { name: 'Documentation' }).click();
  await expect(page).toHaveURL(/\/docs$/);
});
