/**
 * The sign-in flow remembers (issue #13 part 2), on the production build on real Postgres: the
 * address survives every way back to the form, the last one is pre-filled, "Resend" waits out its
 * cooldown (server-side, so without JavaScript too) and counts against the limits, known webmail
 * gets a button, and the sign-in pages offer no "Sign in" button in the header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';
import { uniqueEmail } from '../support/users.ts';

const textOf = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
const fieldValue = (html: string) => /<input[^>]*id="email"[^>]*>/.exec(html)?.[0].match(/value="([^"]*)"/)?.[1] ?? '';
const href = (html: string, text: string) =>
  new RegExp(`<a[^>]*href="([^"]+)"[^>]*>\\s*${text}`).exec(html)?.[1]?.replaceAll('&amp;', '&');

describe('an email flow that remembers', () => {
  let app: RunningApp;
  let slow: RunningApp;
  beforeAll(async () => {
    app = await startApp('postgres', {
      env: { SIGN_IN_EMAILS_PER_IP: '1000', SIGN_IN_EMAILS_PER_ADDRESS: '3', SIGN_IN_RESEND_SECONDS: '0' },
    });
    slow = await startApp('postgres', { env: { SIGN_IN_EMAILS_PER_IP: '1000' } });
  });
  afterAll(async () => {
    await app?.stop();
    await slow?.stop();
  });
  const mailsTo = (on: RunningApp, email: string) => on.resend!.calls.filter((c) => c.body.to.includes(email));

  it('an address the server refuses comes back in the field, marked invalid', async () => {
    const browser = new HttpClient(app.server.url);
    const page = await (await browser.fetch('/signin')).text();
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page)![1]!;
    const typed = 'ann at example.com';
    const answer = await browser.fetch('/api/auth/signin/email', {
      form: { email: typed, csrfToken, callbackUrl: '/todos' },
    });
    expect(answer.status).toBe(303);
    const form = await (await browser.fetch(answer.headers.get('location')!)).text();
    expect(fieldValue(form)).toBe(typed);
    expect(form).toContain('aria-invalid="true"');
    expect(form).toContain('doesn’t look like an email address');
  });

  it('"Use a different email address" on check-email leads to a filled-in form', async () => {
    const email = uniqueEmail('different');
    const browser = new HttpClient(app.server.url);
    await browser.requestSignIn(email);
    const check = await (await browser.fetch('/signin/check-email')).text();
    const other = href(check, 'Use a different email address')!;
    expect(fieldValue(await (await browser.fetch(other)).text())).toBe(email);
  });

  it('"Send me a new link" on an expired link leads to a filled-in form', async () => {
    const email = uniqueEmail('expired');
    const browser = new HttpClient(app.server.url);
    await browser.requestSignIn(email);
    await app.database!.query(
      `UPDATE verification_token SET expires = now() - interval '1 second' WHERE identifier = $1`,
      [email],
    );
    const url = new URL(await app.latestLink(email));
    const stranger = new HttpClient(app.server.url); // another browser: no remembered address
    const expired = await (await stranger.fetch(url.pathname + url.search)).text();
    const again = href(expired, 'Send me a new link')!;
    expect(fieldValue(await (await stranger.fetch(again)).text())).toBe(email);
  });

  it('pre-fills the address this browser used last (an HttpOnly cookie for /signin only)', async () => {
    const email = uniqueEmail('returning');
    const browser = new HttpClient(app.server.url);
    expect(fieldValue(await (await browser.fetch('/signin')).text())).toBe('');
    const asked = await browser.requestSignIn(email);
    const cookie = asked.headers.getSetCookie().find((c) => c.startsWith('signin-email='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/signin/i);
    // Days later, on the error page's way back or a fresh visit: the form is filled in.
    expect(fieldValue(await (await browser.fetch('/signin')).text())).toBe(email);
    const error = await (await browser.fetch('/signin/error?error=Verification')).text();
    expect(fieldValue(await (await browser.fetch(href(error, 'Send me a new link')!)).text())).toBe(email);
  });

  it('forgets the remembered address when the account is deleted', async () => {
    const email = uniqueEmail('forget');
    const browser = new HttpClient(app.server.url);
    await browser.signIn(email, app.latestLink);
    expect(browser.cookies.get('signin-email')).toBeTruthy();
    const deleted = await browser.fetch('/account', { form: { action: 'delete-account', confirm: email } });
    expect(deleted.headers.get('location')).toBe('/account/deleted');
    expect(browser.cookies.get('signin-email')).toBeUndefined();
    expect(fieldValue(await (await browser.fetch('/signin')).text())).toBe('');
  });

  it('"Resend" waits out its cooldown server-side: an early press sends nothing and says how long', async () => {
    const email = uniqueEmail('impatient');
    const browser = new HttpClient(slow.server.url);
    await browser.requestSignIn(email);
    const check = await (await browser.fetch('/signin/check-email')).text();
    expect(textOf(check)).toMatch(/You can ask for a new email in (59|60) seconds\./);
    expect(check).toMatch(/data-resend-wait="(59|60)"/);
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(check)![1]!;
    const early = await browser.fetch('/api/auth/signin/email', { form: { email, csrfToken, callbackUrl: '/todos' } });
    expect(early.status).toBe(303);
    expect(early.headers.get('location')).toBe('/signin/check-email?error=resend-wait');
    expect(mailsTo(slow, email)).toHaveLength(1);
  });

  it('"Resend" after the cooldown sends a new email, says so, and counts against the limits', async () => {
    const email = uniqueEmail('resend');
    const browser = new HttpClient(app.server.url);
    await browser.requestSignIn(email);
    const locations: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const check = await (await browser.fetch('/signin/check-email')).text();
      expect(check).toContain('Resend the email');
      const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(check)![1]!;
      const hidden = /<input type="hidden" name="email" value="([^"]+)"/.exec(check)![1];
      expect(hidden).toBe(email);
      const resent = await browser.fetch('/api/auth/signin/email', {
        form: { email, csrfToken, callbackUrl: '/todos' },
      });
      locations.push(resent.headers.get('location')!);
    }
    expect(locations[0]).toBe('/signin/check-email?resent=1');
    expect(locations[1]).toBe('/signin/check-email?resent=1');
    expect(locations[2]).toMatch(/^\/signin\/too-many-requests\?/); // 3 per address: the 4th email is refused
    expect(mailsTo(app, email)).toHaveLength(3);
    expect(textOf(await (await browser.fetch(locations[0]!)).text())).toContain('We sent a new email.');
  });

  it.each([
    ['gmail.com', 'Open Gmail', 'https://mail.google.com/'],
    ['outlook.com', 'Open Outlook', 'https://outlook.live.com/'],
    ['proton.me', 'Open Proton Mail', 'https://mail.proton.me/'],
    ['icloud.com', 'Open iCloud Mail', 'https://www.icloud.com/mail/'],
  ])('check-email offers the webmail of %s', async (domain, label, url) => {
    const browser = new HttpClient(app.server.url);
    await browser.requestSignIn(`webmail.${Date.now()}@${domain}`);
    const check = await (await browser.fetch('/signin/check-email')).text();
    expect(href(check, label)).toContain(url);
  });

  it('check-email offers no webmail button for an unknown domain', async () => {
    const browser = new HttpClient(app.server.url);
    await browser.requestSignIn(uniqueEmail('company'));
    expect(await (await browser.fetch('/signin/check-email')).text()).not.toContain('>Open ');
  });

  it.each(['/signin', '/signin/check-email', '/signin/error', '/signin/too-many-requests?until=1'])(
    '%s has no "Sign in" button in its header',
    async (path) => {
      const html = await (await new HttpClient(app.server.url).fetch(path)).text();
      expect(html).not.toMatch(/<a href="\/signin" class="button/);
    },
  );
});
