/**
 * The sign-in flow that remembers and the account page that explains itself (issue #13 parts 2–6),
 * in Chromium: axe finds no serious or critical issue on /signin, /signin/check-email and /account;
 * a submit shows progress and can't be sent twice; "Resend" counts down; times are in the reader's
 * own zone; a long hyphenated address never overflows a 390 px screen nor breaks at its hyphen.
 */
import type { Page } from '@playwright/test';
import { expect, signIn, test, uniqueEmail } from './fixtures.ts';
import { expectNoSeriousViolations } from './page-checks.ts';

/** Nothing wider than the screen (no sideways scrolling). */
async function expectNoOverflow(page: Page, label: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${label} scrolls sideways`).toBeLessThanOrEqual(client);
}

/** The example: "shots-/desktop@…" broke at its hyphen in a heading. */
const longAddress = () => `shots-desktop-${Math.random().toString(36).slice(2, 8)}@example-company.test`;

test('sign-in: progress on submit, check-email with a countdown, no "Sign in" in the header', async ({ page }) => {
  const email = uniqueEmail('flow');
  await page.goto('/signin');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true })).toHaveCount(0);
  await expectNoSeriousViolations(page, '/signin');
  await page.getByLabel('Email address').fill(email);
  // Keep the form from leaving (a listener after the app's, on window), to see it while it is busy.
  await page.evaluate(() => {
    (window as unknown as { submits: number }).submits = 0;
    window.addEventListener('submit', (event) => {
      if (!event.defaultPrevented) (window as unknown as { submits: number }).submits += 1;
      event.preventDefault();
    });
  });
  const button = page.getByRole('button', { name: 'Email me a sign-in link' });
  await button.click();
  const busy = page.getByRole('button', { name: 'Sending…' });
  await expect(busy).toBeDisabled();
  await expect(page.locator('form[aria-busy="true"]')).toHaveCount(1);
  // A second submit (Enter in the field) is stopped: only one request would have left.
  await page.getByLabel('Email address').press('Enter');
  expect(await page.evaluate(() => (window as unknown as { submits: number }).submits)).toBe(1);

  // For real this time.
  await page.goto('/signin');
  await expect(page.getByLabel('Email address')).toHaveValue(''); // nothing sent yet: nothing remembered
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.waitForURL('**/signin/check-email**');

  await expect(page.getByText(email)).toBeVisible();
  const resend = page.getByRole('button', { name: 'Resend the email' });
  await expect(resend).toBeDisabled();
  await expect(resend).toHaveAccessibleDescription(/You can ask for a new email in \d+ seconds\./);
  await expectNoSeriousViolations(page, '/signin/check-email');

  // "Use a different email address" keeps what was typed.
  await page.getByRole('link', { name: 'Use a different email address' }).click();
  await expect(page.getByLabel('Email address')).toHaveValue(email);
});

test('the account page: devices, local times, a reason for the disabled control, axe', async ({ page, browser }) => {
  const email = uniqueEmail('account');
  await signIn(page, email);
  await page.goto('/account');
  // One session: "Sign out of other sessions" is off, and says why.
  const others = page.getByRole('button', { name: 'Sign out of other sessions' });
  await expect(others).toBeDisabled();
  await expect(others).toHaveAccessibleDescription(/this is your only session/);
  await expect(page.getByText('This device')).toBeVisible();
  await expectNoSeriousViolations(page, '/account');

  // Another session, in another time zone and locale: times are the reader's own, no "UTC".
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'de-DE' });
  const tokyo = await context.newPage();
  await signIn(tokyo, email);
  await tokyo.goto('/account');
  const times = tokyo.locator('time[data-local-time]');
  await expect(times.first()).not.toContainText('UTC');
  const shown = await times.first().textContent();
  const iso = (await times.first().getAttribute('datetime'))!;
  const expected = new Intl.DateTimeFormat('de-DE', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(new Date(iso));
  expect(shown).toBe(expected);
  await context.close();

  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out of other sessions' })).toBeEnabled();
  await page.goto('/account?confirm-delete=1#delete');
  await expectNoSeriousViolations(page, '/account (delete confirmation open)');
});

test('a long hyphenated address at 390 px: no sideways scrolling, no break at the hyphen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const email = longAddress();
  await signIn(page, email);
  for (const path of ['/account', '/account?confirm-delete=1#delete']) {
    await page.goto(path);
    await expectNoOverflow(page, path);
  }
  // The local part moves to its own line whole: it is one line box, starting with "shots-".
  const part = page.locator('.email-address__part').first();
  const lines = await part.evaluate((el) => el.getClientRects().length);
  expect(lines).toBe(1);

  await page.context().clearCookies();
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.waitForURL('**/signin/check-email**');
  await expectNoOverflow(page, '/signin/check-email');
});
