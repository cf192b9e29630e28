/**
 * Shared e2e helpers: a unique address per test, sign-in through the real magic-link flow (form
 * post with Auth.js's CSRF token, link read from the local mailbox, link opened in the browser),
 * and a `user` fixture that starts a test signed in on `/todos`.
 *
 * No database shortcuts: every user here signed in exactly the way a person does, minus typing.
 */
import { randomUUID } from 'node:crypto';
import { test as base, expect, type Locator, type Page, type Response } from '@playwright/test';

export { expect };

/** A fresh address per call, lowercase (Auth.js stores addresses lowercased). */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

interface MailboxMessage {
  to: string;
  subject: string;
  url: string;
  sentAt: string;
}

/** The newest sign-in link mailed to `email`, waiting for it to arrive. */
export async function latestSignInLink(page: Page, email: string): Promise<string> {
  let url: string | undefined;
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/dev/mailbox.json?to=${encodeURIComponent(email)}`);
        expect(response.ok(), `GET /dev/mailbox.json answered ${response.status()}`).toBe(true);
        const messages = (await response.json()) as MailboxMessage[];
        url = messages[0]?.url;
        return url;
      },
      { message: `a sign-in email to ${email} in the local mailbox` },
    )
    .toBeTruthy();
  return url!;
}

/**
 * After the sign-in link was opened: lands on `/todos`. If the app shows a confirmation page
 * first (a GET of the link must not sign in, so email scanners can't use it up), presses its button.
 */
export async function finishSignIn(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/todos' || url.pathname.startsWith('/signin/confirm'));
  if (new URL(page.url()).pathname !== '/todos') {
    await page.getByRole('button', { name: /sign in|continue|confirm/i }).click();
    await page.waitForURL('**/todos');
  }
}

/**
 * Signs `page`'s browser context in as `email` through the real flow, without the typing: asks
 * for a link like the form does (same CSRF token and cookie), then opens the mailed link.
 * `hydrated: false` doesn't wait for the todo island (a context with JavaScript disabled).
 */
export async function signIn(page: Page, email: string, { hydrated = true } = {}): Promise<void> {
  const form = await page.request.get('/signin');
  expect(form.ok(), `GET /signin answered ${form.status()}`).toBe(true);
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(await form.text())?.[1];
  expect(csrfToken, 'the sign-in form carries a CSRF token').toBeTruthy();

  const sent = await page.request.post('/api/auth/signin/email', {
    form: { csrfToken: csrfToken!, email, callbackUrl: '/todos' },
  });
  expect(new URL(sent.url()).pathname, 'asking for a link ends on the "check your email" page').toBe(
    '/signin/check-email',
  );

  await page.goto(await latestSignInLink(page, email));
  await finishSignIn(page);
  // Without JavaScript (or to look at the page before hydration) there is no island to wait for.
  if (hydrated) await waitForTodoApp(page);
}

/** Waits until the todo island has hydrated (before that, Enter would submit the bare HTML form). */
export async function waitForTodoApp(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Your todos' })).toBeVisible();
  await expect(page.locator('#todo-app')).toHaveAttribute('data-hydrated', 'true');
}

/**
 * Keeps the island's focus / visibility refresh (the fallback of live sync) from running in this
 * page, so a change that shows up can only have come through the live stream.
 */
export async function withoutFocusRefresh(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const swallow = (event: Event) => event.stopImmediatePropagation();
    window.addEventListener('focus', swallow, true);
    document.addEventListener('visibilitychange', swallow, true);
  });
}

/** The list's rows (the list itself is absent while there are none). */
export function todoItems(page: Page): Locator {
  return page.getByRole('list', { name: 'Todos' }).getByRole('listitem');
}

/** A todo's check box, by the todo's exact text. */
export function todoCheckbox(page: Page, text: string): Locator {
  return page.getByRole('checkbox', { name: text, exact: true });
}

/**
 * A todo's actions menu button, by the todo's exact text: a <summary> ("generic" to Playwright's
 * roles), named "Actions for <text>" through aria-labelledby, which getByLabel doesn't combine.
 */
export function todoMenu(page: Page, text: string): Locator {
  return todoItems(page)
    .filter({ has: page.locator('.todo-item__text').getByText(text, { exact: true }) })
    .locator('summary');
}

/** The "N item(s) left" counter. */
export function todoCounter(page: Page): Locator {
  return page.getByText(/^\d+ items? left$/);
}

/**
 * Runs `action` and waits for the todo API call it causes (`POST`, `PATCH` or `DELETE` on
 * /api/todos), asserting it succeeded. The island updates optimistically, so the screen alone
 * doesn't say whether the server has the change yet; a reload right after could race it.
 */
export async function expectSaved(
  page: Page,
  method: 'POST' | 'PATCH' | 'DELETE',
  action: () => Promise<unknown>,
): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.startsWith('/api/todos')),
    action(),
  ]);
  expect(response.ok(), `${method} ${response.url()} answered ${response.status()}`).toBe(true);
  return response;
}

/** Adds a todo through the "New todo" field (Enter) and waits until the server has it. */
export async function addTodo(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('New todo');
  await input.fill(text);
  await expectSaved(page, 'POST', () => input.press('Enter'));
  await expect(input).toHaveValue('');
}

/** Console errors a test provokes on purpose (a refused or failed request), per page. */
const expectedConsoleErrors = new WeakMap<Page, RegExp[]>();

/**
 * For tests that make requests fail on purpose: Chromium logs each failed resource load as a
 * console error ("Failed to load resource: … 409"); those matching `pattern` are not counted.
 */
export function allowConsoleErrors(page: Page, pattern: RegExp): void {
  expectedConsoleErrors.set(page, [...(expectedConsoleErrors.get(page) ?? []), pattern]);
}

/**
 * Collects uncaught exceptions and console errors of `page` (a hydration mismatch, a CSP
 * violation, a failed island load); `assertNone` fails the test if there were any.
 */
export function watchBrowserErrors(page: Page): { assertNone: () => void } {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (expectedConsoleErrors.get(page)?.some((pattern) => pattern.test(message.text()))) return;
    // The mailbox previews each email in a script-less sandboxed iframe. Playwright's own
    // injected scripts are refused there now and then ("Blocked script execution in ..."); a
    // plain Chromium shows no such error, and the emails carry no script.
    if (/\/dev\/mailbox\/\d+\.html$/.test(message.location().url)) return;
    errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  return { assertNone: () => expect(errors, `browser errors on ${page.url()}`).toEqual([]) };
}

export const test = base.extend<{ user: { email: string } }>({
  /** Every test's page fails the test on uncaught exceptions or console errors. */
  page: async ({ page }, use) => {
    const errors = watchBrowserErrors(page);
    await use(page);
    errors.assertNone();
  },
  /** A fresh user, signed in on `page`, which is left on a hydrated `/todos`. */
  user: async ({ page }, use) => {
    const email = uniqueEmail();
    await signIn(page, email);
    await use({ email });
  },
});
