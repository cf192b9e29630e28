/**
 * Passkeys in Chromium with its virtual authenticator (CDP WebAuthn domain: a CTAP2 platform
 * authenticator with resident keys and user verification, presence simulated): add a passkey from
 * /account by keyboard, sign out, sign in with it (the button, and the email field's autofill),
 * rename and remove it, and see the removed one refused. Along the way: axe on /signin and on
 * /account with a passkey listed, and no Content-Security-Policy violation on either page.
 */
import type { CDPSession, Page } from '@playwright/test';
import { allowConsoleErrors, expect, signIn, test, uniqueEmail } from './fixtures.ts';
import { expectNoSeriousViolations, watchCsp } from './page-checks.ts';

interface Authenticator {
  cdp: CDPSession;
  authenticatorId: string;
}

async function addVirtualAuthenticator(page: Page): Promise<Authenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

const storedCredentials = async ({ cdp, authenticatorId }: Authenticator) =>
  (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

async function signOut(page: Page): Promise<void> {
  await page.goto('/signout');
  await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname !== '/signout');
}

const passkeys = (page: Page) => page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem');

/**
 * Chromium's virtual authenticator answers a conditional (autofill) request at once, as if its one
 * passkey had been picked from the email field's suggestions. To press the button instead, this
 * browser reports no autofill support (as browsers without it do); the next test covers autofill.
 */
async function withoutAutofill(page: Page): Promise<void> {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
  });
}

test('add a passkey on /account, sign in with it, rename and remove it', async ({ page }) => {
  const cspViolations = await watchCsp(page);
  await withoutAutofill(page);
  const authenticator = await addVirtualAuthenticator(page);
  const email = uniqueEmail('passkey');
  await signIn(page, email);

  // Signed in by email on a device that can hold a passkey: /todos offers one, below the list.
  const banner = page.getByRole('complementary').filter({ hasText: 'Sign in faster next time with a passkey' });
  await expect(banner).toBeVisible();
  await expectNoSeriousViolations(page, '/todos (with the passkey offer)');
  await banner.getByRole('link', { name: 'Add a passkey' }).click();
  await page.waitForURL('**/account#passkeys-title');
  const offer = page.getByText('Sign in faster next time with a passkey');
  await expect(offer).toBeVisible();
  await expect(page.getByText('You have no passkeys yet.')).toBeVisible();
  // By keyboard: the offer's button, focused and pressed.
  await page.getByRole('button', { name: 'Add a passkey' }).first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Passkey added: Passkey 1');
  await expect(passkeys(page)).toHaveCount(1);
  await expect(passkeys(page).first()).toContainText('Passkey 1');
  await expect(passkeys(page).first()).toContainText('Not used yet');
  await expect(offer).toBeHidden();
  expect(await storedCredentials(authenticator)).toHaveLength(1);
  await expectNoSeriousViolations(page, '/account (a passkey listed)');
  await page.goto('/todos');
  await expect(page.getByRole('heading', { name: 'Your todos' })).toBeVisible();
  await expect(banner).toBeHidden();
  await page.goto('/account');
  await expect(passkeys(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Rename Passkey 1' }).focus();

  // Rename, by keyboard.
  await expect(page.getByRole('button', { name: 'Rename Passkey 1' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('New name for Passkey 1')).toBeFocused();
  await page.keyboard.type('Work laptop');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Passkey renamed: Work laptop');
  await expect(passkeys(page).first()).toContainText('Work laptop');

  // Signed out, then back in with the button.
  await signOut(page);
  await page.goto('/signin?callbackUrl=%2Faccount');
  await expectNoSeriousViolations(page, '/signin (with the passkey button)');
  // By keyboard: from the email form's button, Tab reaches the passkey button.
  await page.getByRole('button', { name: 'Email me a sign-in link' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.waitForURL('**/account');
  await expect(passkeys(page).first()).toContainText('Last used');

  // Removed (the last one is allowed), it no longer signs in, though the authenticator still holds it.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Remove Work laptop' }).click();
  await expect(page.getByRole('status')).toContainText('Passkey removed: Work laptop');
  await expect(page.getByText('You have no passkeys yet.')).toBeVisible();
  await signOut(page);
  await page.goto('/signin');
  allowConsoleErrors(page, /status of 401/); // the refusal, logged by Chromium as a failed load
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('alert')).toContainText('That passkey didn’t work here');
  await expect(page).toHaveURL(/\/signin/);
  expect(await storedCredentials(authenticator)).toHaveLength(1);

  expect(await cspViolations()).toEqual([]);
});

test('the email field offers the passkey (autofill, conditional mediation)', async ({ page }) => {
  const cspViolations = await watchCsp(page);
  await addVirtualAuthenticator(page);
  await signIn(page, uniqueEmail('autofill'));
  // "Not now" on the offer is remembered in this browser.
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your todos' })).toBeVisible();
  await expect(page.getByText('Sign in faster next time with a passkey')).toBeHidden();
  await page.goto('/account');
  await page.getByRole('button', { name: 'Add a passkey' }).last().click();
  await expect(passkeys(page)).toHaveCount(1);
  await signOut(page);

  const form = await (await page.request.get('/signin')).text();
  expect(form).toMatch(/<input[^>]*id="email"[^>]*autocomplete="username webauthn"/);
  await page.goto('/signin?callbackUrl=%2Faccount');
  // Chromium's virtual authenticator answers a conditional request with its one discoverable
  // passkey as if it had been picked from the field's suggestions: the page signs in by itself.
  await page.waitForURL('**/account');
  await expect(passkeys(page)).toHaveCount(1);
  expect(await cspViolations()).toEqual([]);
});
