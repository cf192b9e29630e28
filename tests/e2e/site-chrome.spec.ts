/**
 * The site's chrome in Chromium: the theme picker (stored choice applied before the first paint,
 * kept across reloads, shared with Starlight's key), the phone header (one row, a menu that opens
 * and closes by keyboard and pointer), no CSP violations, and the changelog feed through a real
 * XML parser. The fixtures fail every test on console errors, CSP reports included.
 */
import type { Page } from '@playwright/test';
import { THEME_COLORS } from '#lib/content/icons.ts';
import { expect, test } from './fixtures.ts';

const DARK_BG = 'rgb(15, 17, 21)'; // --bg in the dark theme (global.css)
const LIGHT_BG = 'rgb(246, 247, 249)'; // --bg in the light theme
const { light: LIGHT_THEME_COLOR, dark: DARK_THEME_COLOR } = THEME_COLORS;

const themePicker = (page: Page) => page.getByRole('combobox', { name: 'Theme' });
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
/** The browser-chrome colour in force: the first theme-color meta whose media matches. */
const themeColor = (page: Page) =>
  page.evaluate(
    () =>
      [...document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')].find(
        (meta) => !meta.media || matchMedia(meta.media).matches,
      )?.content,
  );

/**
 * Records `data-theme` on <html> at the moment <body> is inserted by the parser: anything set by
 * then is in place before the first paint (nothing is painted before there is a body).
 */
async function recordThemeAtFirstBody(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (!document.body) return;
      (window as unknown as { themeAtBody: string | null }).themeAtBody =
        document.documentElement.getAttribute('data-theme');
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}
const themeAtBody = (page: Page) =>
  page.evaluate(() => (window as unknown as { themeAtBody: string | null }).themeAtBody);

/** Collects securitypolicyviolation events from the start of each document. */
async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
}

test.describe('theme picker', () => {
  test('a chosen theme applies before the first paint and persists across reloads and pages', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await recordThemeAtFirstBody(page);
    await page.goto('/');
    await expect(themePicker(page)).toHaveValue('');
    expect(await bodyBackground(page)).toBe(LIGHT_BG);

    expect(await themeColor(page)).toBe(LIGHT_THEME_COLOR);

    await themePicker(page).selectOption({ label: 'Dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await bodyBackground(page)).toBe(DARK_BG);
    // The browser's toolbar follows the choice, not the system.
    expect(await themeColor(page)).toBe(DARK_THEME_COLOR);
    // Starlight's key and value: the docs read the same choice.
    expect(await page.evaluate(() => localStorage.getItem('starlight-theme'))).toBe('dark');

    for (const path of ['/', '/changelog']) {
      await page.goto(path);
      expect(await themeAtBody(page), `${path}: data-theme when <body> was parsed`).toBe('dark');
      expect(await bodyBackground(page)).toBe(DARK_BG);
      await expect(themePicker(page)).toHaveValue('dark');
      expect(await themeColor(page)).toBe(DARK_THEME_COLOR);
    }
    await page.reload();
    expect(await themeAtBody(page)).toBe('dark');
  });

  test('"System theme" follows the operating system again; light overrides a dark system', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    expect(await bodyBackground(page)).toBe(DARK_BG);
    await themePicker(page).selectOption({ label: 'Light' });
    expect(await bodyBackground(page)).toBe(LIGHT_BG);
    await page.reload();
    expect(await bodyBackground(page)).toBe(LIGHT_BG);

    await themePicker(page).selectOption({ label: 'System theme' });
    await expect(page.locator('html')).not.toHaveAttribute('data-theme');
    expect(await page.evaluate(() => localStorage.getItem('starlight-theme'))).toBe('');
    expect(await bodyBackground(page)).toBe(DARK_BG);
    expect(await themeColor(page)).toBe(DARK_THEME_COLOR);
  });

  test('the landing product shot follows the theme: the system one, then the picked one', async ({ page }) => {
    const shot = page.locator('.product-shot img');
    const shown = async () => {
      await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.complete && img.currentSrc)).toBeTruthy();
      return /todos-screenshot-dark/.test(await shot.evaluate((img: HTMLImageElement) => img.currentSrc))
        ? 'dark'
        : 'light';
    };
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    expect(await shown()).toBe('dark');
    await themePicker(page).selectOption({ label: 'Light' });
    await expect.poll(shown).toBe('light');
    await page.reload();
    expect(await shown()).toBe('light');

    await page.emulateMedia({ colorScheme: 'light' });
    await themePicker(page).selectOption({ label: 'Dark' });
    await expect.poll(shown).toBe('dark');
    await page.reload();
    expect(await shown()).toBe('dark');
  });

  test('a value Starlight stored is honoured on the site', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.addInitScript(() => localStorage.setItem('starlight-theme', 'dark'));
    await page.goto('/pricing');
    expect(await bodyBackground(page)).toBe(DARK_BG);
  });
});

test.describe('phone header (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('is one row: site name, menu button and account menu side by side', async ({ page }) => {
    await page.goto('/');
    const name = page.getByRole('link', { name: 'Astro Todos', exact: true });
    const menu = page.getByRole('button', { name: 'Menu' });
    const signIn = page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' });
    await expect(signIn).toBeVisible();
    const boxes = await Promise.all([name, menu, signIn].map((locator) => locator.boundingBox()));
    const centres = boxes.map((box) => box!.y + box!.height / 2);
    for (const centre of centres) expect(Math.abs(centre - centres[0]!)).toBeLessThan(4);
    const header = await page.locator('header.site-header').boundingBox();
    expect(header!.height).toBeLessThan(72);
    // The navigation waits behind the button.
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  });

  for (const path of ['/', '/todos', '/docs/getting-started']) {
    test(`${path} signed in is one row too; the account menu opens from a button`, async ({ page, user }) => {
      await page.goto(path);
      const account = page.getByRole('navigation', { name: 'Account' });
      const button = account.getByRole('button', { name: `Account menu (${user.email})` });
      await expect(button).toBeVisible();
      const header = await page.locator('header').first().boundingBox();
      expect(header!.height).toBeLessThan(72);
      const name = await page.getByRole('link', { name: 'Astro Todos', exact: true }).first().boundingBox();
      const box = await button.boundingBox();
      expect(Math.abs(box!.y + box!.height / 2 - (name!.y + name!.height / 2))).toBeLessThan(6);
      // Nothing sticks out sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      const signOut = account.getByRole('button', { name: 'Sign out' });
      await expect(signOut).toBeHidden();
      await button.focus();
      await page.keyboard.press('Enter');
      await expect(account.getByRole('link', { name: 'My todos' })).toBeVisible();
      await expect(account.getByText(user.email)).toBeVisible();
      await expect(signOut).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(signOut).toBeHidden();
      await button.click();
      await signOut.click();
      await expect(
        page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }),
      ).toBeVisible();
    });
  }

  test('the menu opens and closes by keyboard', async ({ page }) => {
    await page.goto('/');
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(nav).toBeVisible();
    // Focus moves on into the menu, in order.
    await page.keyboard.press('Tab');
    await expect(nav.getByRole('link', { name: 'Features' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await menu.focus();
    await page.keyboard.press('Space');
    await expect(nav).toBeVisible();
    await page.keyboard.press('Enter'); // the button again
    await expect(nav).toBeHidden();
  });

  test('the menu opens and closes by pointer, and its links and theme picker work', async ({ page }) => {
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(nav).toBeVisible();
    await expect(themePicker(page)).toBeVisible();
    await page.mouse.click(200, 600); // outside the menu
    await expect(nav).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Pricing' }).click();
    await expect(page).toHaveURL(/\/pricing$/);
  });
});

test.describe('changelog and CSP', () => {
  for (const path of ['/', '/changelog', '/changelog/2026-12-01-security-review', '/sitemap']) {
    test(`${path}: no CSP violations, and the hashed theme script ran`, async ({ page }) => {
      await recordCspViolations(page);
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('html')).toHaveAttribute('data-js', '');
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    });
  }

  test('the changelog lists entries that open, and the feed is well-formed RSS', async ({ page }) => {
    await page.goto('/changelog');
    const entries = page.getByRole('main').getByRole('listitem');
    expect(await entries.count()).toBeGreaterThanOrEqual(5);
    await entries.first().getByRole('link').click();
    await expect(page).toHaveURL(/\/changelog\/[\w-]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    const feed = await (await page.request.get('/changelog/rss.xml')).text();
    const items = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      if (doc.querySelector('parsererror')) return 'parse error';
      return [...doc.querySelectorAll('channel > item')].map((item) => ({
        title: item.querySelector('title')?.textContent ?? '',
        link: item.querySelector('link')?.textContent ?? '',
        pubDate: item.querySelector('pubDate')?.textContent ?? '',
      }));
    }, feed);
    expect(Array.isArray(items), String(items)).toBe(true);
    for (const item of items as Array<{ title: string; link: string; pubDate: string }>) {
      expect(item.title).not.toBe('');
      expect(item.link).toMatch(/^https?:\/\/[^/]+\/changelog\/[\w-]+$/);
      expect(new Date(item.pubDate).toUTCString()).toBe(item.pubDate);
    }
  });
});
