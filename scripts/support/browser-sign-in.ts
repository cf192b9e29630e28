/**
 * Signs a Playwright browser context in as a new reader of a local-mode server, the way a person
 * does it without the typing: asks for a link like the form does (same CSRF token and cookie),
 * reads it from the dev mailbox and opens it. For the scripts that look at signed-in pages
 * (screenshots, product shot); the browser tests have their own fixture (tests/e2e/fixtures.ts).
 */
import type { BrowserContext } from '@playwright/test';

export async function signInBrowser(context: BrowserContext, base: string, email: string): Promise<void> {
  const form = await (await context.request.get(`${base}/signin`)).text();
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(form)?.[1] ?? '';
  await context.request.post(`${base}/api/auth/signin/email`, { form: { csrfToken, email, callbackUrl: '/todos' } });
  const mailbox = await context.request.get(`${base}/dev/mailbox.json?to=${encodeURIComponent(email)}`);
  const [message] = (await mailbox.json()) as { url: string }[];
  if (!message) throw new Error(`no sign-in email for ${email} in the dev mailbox`);
  const tab = await context.newPage();
  await tab.goto(message.url);
  // The link opens a confirmation page (a GET must not sign in: mail scanners follow links).
  if (new URL(tab.url()).pathname !== '/todos') await tab.getByRole('button', { name: /sign in/i }).click();
  await tab.waitForURL((url) => url.pathname === '/todos');
  await tab.close();
}
