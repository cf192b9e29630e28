/**
 * Signing in on one device with the code from an email read on another, and the site's
 * Content-Security-Policy (every test also fails on any console error, CSP violations included).
 */
import { expect, test, uniqueEmail, waitForTodoApp } from './fixtures.ts';

test('the laptop signs in with the code read on the phone; the link is then spent', async ({ page, browser }) => {
  const email = uniqueEmail('code');
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

  // The phone: reads the email (here: the local mailbox) in a browser of its own.
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  const mail = await (
    await phonePage.request.get(`${new URL(page.url()).origin}/dev/mailbox.json?to=${encodeURIComponent(email)}`)
  ).json();
  const code = /^(\d{4} \d{4})$/m.exec(mail[0].text)?.[1];
  expect(code).toBeTruthy();

  await page.getByLabel(/Enter the code from the email/).fill(code!);
  await page.getByRole('button', { name: 'Sign in with code' }).click();
  await page.waitForURL('**/todos');
  await waitForTodoApp(page);

  await phonePage.goto(mail[0].url);
  await expect(phonePage.getByRole('heading', { name: 'This sign-in link no longer works' })).toBeVisible();
  await phone.close();
});

test('a wrong code says how many attempts are left', async ({ page }) => {
  const email = uniqueEmail('wrong');
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByLabel(/Enter the code from the email/).fill('0000 0000');
  await page.getByRole('button', { name: 'Sign in with code' }).click();
  // (1 in 10^8 that the code really was 00000000.)
  await expect(page.getByRole('alert')).toHaveText(/That code isn’t right\. 4 attempts left\./);
});

test('pages carry a Content-Security-Policy and refuse framing', async ({ page }) => {
  for (const path of ['/', '/signin']) {
    const response = await page.goto(path);
    const header = response?.headers()['content-security-policy'] ?? '';
    expect(header).toContain("frame-ancestors 'none'");
    // Prerendered pages carry the script/style policy in a <meta>; on-demand ones in the header.
    const meta = page.locator('meta[http-equiv="content-security-policy"]');
    const policy = (await meta.count()) ? await meta.getAttribute('content') : header;
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'self' 'sha256-/);
  }
});
