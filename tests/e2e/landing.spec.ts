/**
 * The landing page in Chromium: the hero's call to action (a server island) fits the visitor and
 * leads where it says, and the page doesn't shift while the island and the screenshot arrive.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const hero = (page: Page) => page.getByRole('region', { name: 'Ship the app, not the login page.' });

/** Holds the hero island's answer back a little, so it arrives after the first paint, as on a real network. */
async function slowIsland(page: Page): Promise<void> {
  await page.route('**/_server-islands/HeroCta?*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
}

/** Cumulative layout shift so far (buffered entries from page load). */
async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
            if (!entry.hadRecentInput) total += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 100);
      }),
  );
}

test('an anonymous visitor is invited to try it, and the page does not shift', async ({ page }) => {
  await slowIsland(page);
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await expect(hero(page).getByRole('img')).toHaveJSProperty('complete', true);
  expect(await layoutShift(page)).toBeLessThan(0.001);
  await expect(hero(page).getByRole('link', { name: 'Open your todos' })).toHaveCount(0);
  await hero(page).getByRole('link', { name: 'Try it free' }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Ftodos$/);
  await expect(page.getByLabel('Email address')).toBeVisible();
});

test('a signed-in visitor is sent to their todos', async ({ page, user }) => {
  void user;
  await slowIsland(page);
  await page.goto('/');
  const open = hero(page).getByRole('link', { name: 'Open your todos' });
  await expect(open).toBeVisible();
  await expect(hero(page).getByRole('link', { name: 'Try it free' })).toHaveCount(0);
  await page.waitForLoadState('networkidle');
  expect(await layoutShift(page)).toBeLessThan(0.001);
  await open.click();
  await expect(page).toHaveURL(/\/todos$/);
});
