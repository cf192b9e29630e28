/**
 * Sign-in hardening against the production build on real Postgres: links mail scanners can't
 * spend, one-time codes, shared rate limits, transport failures, and identical answers for known
 * and unknown addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';
import { latestCode, tokenRows } from '../support/sign-in-mail.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { uniqueEmail } from '../support/users.ts';

describe('sign-in links and codes', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('postgres', { env: { SIGN_IN_EMAILS_PER_IP: '1000' } });
  });
  afterAll(async () => app?.stop());

  it('survives a mail scanner: GET and HEAD of the link change nothing, the click signs in', async () => {
    const email = uniqueEmail('scanned');
    const person = new HttpClient(app.server.url);
    await person.requestSignIn(email);
    const link = await app.latestLink(email);
    const url = new URL(link);
    const bot = new HttpClient(app.server.url);
    for (let i = 0; i < 3; i += 1) {
      expect((await bot.fetch(url.pathname + url.search)).status).toBe(200);
      expect((await bot.fetch(url.pathname + url.search, { method: 'HEAD' })).status).toBe(200);
    }
    expect(bot.sessionCookie()).toBeUndefined();
    expect(await tokenRows(app, email)).toBe(1);
    const page = await (await person.fetch(url.pathname + url.search)).text();
    expect(page.replace(/<[^>]+>/g, '')).toContain(`Sign in as ${email}`);
    const signedIn = await person.confirmLink(link);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe(`${app.server.url}/todos`);
    expect(person.sessionCookie()).toBeTruthy();
    expect(await tokenRows(app, email)).toBe(0);
  });

  it('refuses an expired link with a page that offers a new one', async () => {
    const email = uniqueEmail('expired');
    const person = new HttpClient(app.server.url);
    await person.requestSignIn(email);
    await app.database!.query(
      `UPDATE verification_token SET expires = now() - interval '1 second' WHERE identifier = $1`,
      [email],
    );
    const url = new URL(await app.latestLink(email));
    const page = await person.fetch(url.pathname + url.search);
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('no longer works');
    expect(html).toContain('Send me a new link');
    // Even pressing the button by hand (POST to the callback) does not sign in.
    const forced = await person.fetch(`/api/auth/callback/email${url.search}`, { method: 'POST', form: {} });
    expect(forced.headers.get('location')).toContain('/signin/error?error=Verification');
    expect(person.sessionCookie()).toBeUndefined();
  });

  it.each([
    ['a changed token', (u: URL) => u.searchParams.set('token', 'f'.repeat(64))],
    ['another address', (u: URL) => u.searchParams.set('email', 'someone.else@example.com')],
    ['no token', (u: URL) => u.searchParams.delete('token')],
    ['junk in the token', (u: URL) => u.searchParams.set('token', '<script>')],
  ])('answers a tampered link (%s) with the friendly page, never an error', async (_label, tamper) => {
    const email = uniqueEmail('tampered');
    await new HttpClient(app.server.url).requestSignIn(email);
    const url = new URL(await app.latestLink(email));
    tamper(url);
    const page = await new HttpClient(app.server.url).fetch(url.pathname + url.search);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Send me a new link');
    expect(await tokenRows(app, email)).toBe(1);
  });

  it('honours only same-site callback URLs', async () => {
    const email = uniqueEmail('redirect');
    const person = new HttpClient(app.server.url);
    await person.requestSignIn(email, 'https://evil.example/steal');
    const signedIn = await person.confirmLink(await app.latestLink(email));
    expect(signedIn.headers.get('location')).toBe(`${app.server.url}/todos`);
  });

  it('signs in the asking browser with the code read on another device; the link then no longer works', async () => {
    const email = uniqueEmail('laptop');
    const laptop = new HttpClient(app.server.url);
    await laptop.requestSignIn(email);
    const checkPage = await (await laptop.fetch('/signin/check-email')).text();
    expect(checkPage).toContain('Enter the code');
    const code = latestCode(app, email);
    const signedIn = await laptop.fetch('/signin/code', { form: { code: `${code.slice(0, 4)} ${code.slice(4)}` } });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/todos');
    expect(laptop.sessionCookie()).toBeTruthy();
    expect((await laptop.fetch('/api/todos')).status).toBe(200);
    // Using the code consumed the link as well.
    const phone = new HttpClient(app.server.url);
    const url = new URL(await app.latestLink(email));
    expect((await phone.fetch(url.pathname + url.search)).status).toBe(410);
    // And the code can't be used twice.
    const again = new HttpClient(app.server.url);
    await again.requestSignIn(uniqueEmail('other')); // a pending cookie for someone else
    expect((await laptop.fetch('/signin/code', { form: { code } })).headers.get('location')).toContain('/signin');
  });

  it('voids a code after 5 wrong attempts, even for the right code afterwards', async () => {
    const email = uniqueEmail('guesser');
    const browser = new HttpClient(app.server.url);
    await browser.requestSignIn(email);
    const code = latestCode(app, email);
    const wrong = String((Number(code) + 1) % 10 ** 8).padStart(8, '0');
    const answers: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      answers.push((await browser.fetch('/signin/code', { form: { code: wrong } })).headers.get('location') ?? '');
    }
    expect(answers.slice(0, 4)).toEqual(
      [4, 3, 2, 1].map((left) => `/signin/check-email?error=code-wrong&left=${left}`),
    );
    expect(answers[4]).toBe('/signin/check-email?error=code-locked');
    const right = await browser.fetch('/signin/code', { form: { code } });
    expect(right.headers.get('location')).toBe('/signin/check-email?error=code-locked');
    expect(browser.sessionCookie()).toBeUndefined();
    expect(await (await browser.fetch('/signin/check-email?error=code-locked')).text()).toContain('no longer works');
    // The link in the same email still works (the code's lock doesn't spend it).
    expect((await browser.confirmLink(await app.latestLink(email))).status).toBe(302);
  });

  it('rejects a code once the link was used', async () => {
    const email = uniqueEmail('both');
    const browser = new HttpClient(app.server.url);
    await browser.requestSignIn(email);
    const code = latestCode(app, email);
    await new HttpClient(app.server.url).confirmLink(await app.latestLink(email));
    const response = await browser.fetch('/signin/code', { form: { code } });
    expect(response.headers.get('location')).toBe('/signin/check-email?error=code-expired');
    expect(browser.sessionCookie()).toBeUndefined();
  });

  it('stores links and codes only hashed', async () => {
    const email = uniqueEmail('hashed');
    await new HttpClient(app.server.url).requestSignIn(email);
    const token = new URL(await app.latestLink(email)).searchParams.get('token')!;
    const code = latestCode(app, email);
    const { rows } = await app.database!.query<Record<string, unknown>>(
      `SELECT v.*, c.* FROM verification_token v JOIN sign_in_codes c USING (identifier) WHERE identifier = $1`,
      [email],
    );
    const stored = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(code);
  });

  it('answers a known and an unknown address the same way', async () => {
    const known = uniqueEmail('known');
    const client = new HttpClient(app.server.url);
    await client.signIn(known, app.latestLink);
    const answer = async (email: string) => {
      const response = await new HttpClient(app.server.url).requestSignIn(email);
      return { status: response.status, location: response.headers.get('location') };
    };
    expect(await answer(known)).toEqual(await answer(uniqueEmail('unknown')));
  });
});

describe('rate limits shared by two instances', () => {
  let first: RunningApp;
  let second: RunningApp;
  beforeAll(async () => {
    const env = { SIGN_IN_EMAILS_PER_ADDRESS: '3', SIGN_IN_EMAILS_PER_IP: '8' };
    first = await startApp('postgres', { env });
    second = await startApp('postgres', { env, databaseUrl: first.databaseUrl! });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('allows 3 emails per address across both instances, then a 429 page of its own with Retry-After and no email', async () => {
    const email = uniqueEmail('limited');
    const statuses: number[] = [];
    for (const app of [first, second, first, second]) {
      statuses.push((await new HttpClient(app.server.url).requestSignIn(email)).status);
    }
    expect(statuses).toEqual([302, 302, 302, 303]);
    const client = new HttpClient(first.server.url);
    const refused = await client.requestSignIn(email);
    expect(refused.status).toBe(303);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
    const location = refused.headers.get('location')!;
    expect(location).toMatch(/^\/signin\/too-many-requests\?/);
    expect(new URL(location, first.server.url).searchParams.get('email')).toBe(email);
    const page = await client.fetch(location);
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(800);
    const html = await page.text();
    const text = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(text).toContain('Too many sign-in requests');
    // The window is 15 minutes: "about 14 minutes" or "about 15 minutes", with its spaces.
    expect(text).toMatch(/Please try again in about 1[45] minutes\./);
    // "Back to sign in" leads to the form with the address filled in.
    const back = /<a href="([^"]+)">Back to sign in/.exec(html)![1]!.replaceAll('&amp;', '&');
    expect(await (await client.fetch(back)).text()).toContain(`value="${email}"`);
    const mails = [...first.resend!.calls, ...second.resend!.calls].filter((c) => c.body.to.includes(email));
    expect(mails).toHaveLength(3);
  });

  it('limits one client address across addresses and instances', async () => {
    const statuses: number[] = [];
    // The previous test counted 5 requests for this client address (loopback); the limit is 8.
    for (let i = 0; i < 6; i += 1) {
      const app = i % 2 ? second : first;
      statuses.push((await new HttpClient(app.server.url).requestSignIn(uniqueEmail(`ip${i}`))).status);
    }
    expect(statuses).toEqual([302, 302, 302, 303, 303, 303]); // 303: to /signin/too-many-requests
  });
});

describe('when mail cannot be sent', () => {
  it('Resend failing: a friendly "try again" and no usable token', async () => {
    const app = await startApp('postgres');
    try {
      app.resend!.failWith(500);
      const email = uniqueEmail('resend-down');
      const response = await new HttpClient(app.server.url).requestSignIn(email);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/signin\?error=send-failed/);
      expect(await tokenRows(app, email)).toBe(0);
      const page = await (await fetch(`${app.server.url}${response.headers.get('location')}`)).text();
      expect(page).toContain('couldn’t send the sign-in email');
    } finally {
      await app.stop();
    }
  });

  describe('over SMTP', () => {
    let sink: SmtpSink;
    let app: RunningApp;
    beforeAll(async () => {
      sink = await startSmtpSink();
      app = await startApp('postgres', { env: { RESEND_API_KEY: '', SMTP_URL: sink.url } });
    });
    afterAll(async () => {
      await app?.stop();
      await sink?.close();
    });

    it('delivers the message with both parts, the link and the code, and it signs in', async () => {
      expect(app.server.logs()).toContain('mail: SMTP (smtp://127.0.0.1:');
      const email = uniqueEmail('smtp');
      const browser = new HttpClient(app.server.url);
      expect((await browser.requestSignIn(email)).status).toBe(302);
      const message = sink.messages.find((m) => m.to.includes(email));
      expect(message?.from).toBe('login@example.com');
      const raw = message!.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      expect(raw).toMatch(/Content-Type: text\/plain/i);
      expect(raw).toMatch(/Content-Type: text\/html/i);
      expect(raw).toContain('Subject: Sign in to Astro Todos');
      const link = /http:\/\/127\.0\.0\.1:\d+\/signin\/confirm\?[^\s"<]+/.exec(raw)?.[0];
      expect(link).toBeTruthy();
      expect(raw).toMatch(/^\d{4} \d{4}$/m);
      expect((await browser.confirmLink(link!.replace(/&amp;/g, '&'))).status).toBe(302);
    });

    it('SMTP refusing: a friendly "try again" and no usable token', async () => {
      await sink.close();
      const email = uniqueEmail('smtp-down');
      const response = await new HttpClient(app.server.url).requestSignIn(email);
      expect(response.headers.get('location')).toMatch(/^\/signin\?error=send-failed/);
      expect(await tokenRows(app, email)).toBe(0);
      sink = await startSmtpSink(); // for afterAll
    });
  });
});

describe('behind https', () => {
  it('sets the session cookie HttpOnly, SameSite=Lax and Secure under the __Secure- name', async () => {
    // Behind a TLS-terminating proxy: the public URL is https, the Host names the server (the Host
    // check answers SITE_URL's host name only), the browser's Origin is the public one.
    const app = await startApp('postgres', { env: { SITE_URL: 'https://127.0.0.1' } });
    try {
      const email = uniqueEmail('https');
      const browser = new HttpClient(app.server.url, 'https://127.0.0.1');
      await browser.requestSignIn(email);
      const link = new URL(await app.latestLink(email));
      expect(link.origin).toBe('https://127.0.0.1');
      const page = await browser.fetch(link.pathname + link.search);
      const action = /<form method="post" action="([^"]+)"/.exec(await page.text())![1]!.replace(/&amp;/g, '&');
      const response = await browser.fetch(action, { method: 'POST', form: {} });
      expect(response.status).toBe(302);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('__Secure-authjs.session-token='));
      expect(cookie).toBeTruthy();
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    } finally {
      await app.stop();
    }
  });
});

describe('security headers', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('local');
  });
  afterAll(async () => app?.stop());

  it.each(['/', '/signin', '/api/todos', '/signin/confirm?token=x&email=a%40b.co'])('%s carries them', async (path) => {
    const response = await fetch(`${app.server.url}${path}`, { redirect: 'manual' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBeTruthy();
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
