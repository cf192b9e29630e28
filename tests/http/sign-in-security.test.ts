/**
 * Security review findings on sign-in (issue #10), against the production build: callback URLs
 * that collapse to another host (M1), a second address or a JSON body slipped past the app's
 * checks (M2), sign-in completed by a cross-site GET (M3), the session token readable from
 * /api/auth/session (M4), a one-time code usable with a forged cookie (L1), and log injection (L5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';
import { latestCode, tokenRows } from '../support/sign-in-mail.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { uniqueEmail } from '../support/users.ts';

/** A CSRF token from the sign-in form (the client keeps the cookie that goes with it). */
async function csrfTokenFor(client: HttpClient, callbackUrl?: string): Promise<string> {
  const query = callbackUrl ? `?${new URLSearchParams({ callbackUrl })}` : '';
  const page = await (await client.fetch(`/signin${query}`)).text();
  const token = /name="csrfToken" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error('No CSRF token on /signin');
  return token;
}

/** POSTs a hand-built body to the sign-in endpoint (what a script can send and a form can't). */
async function postSignIn(
  client: HttpClient,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
): Promise<Response> {
  return client.fetch('/api/auth/signin/email', { method: 'POST', body, headers: { 'content-type': contentType } });
}

const mailsTo = (app: RunningApp, email: string) =>
  app.resend!.calls.filter((c) => c.body.to.some((to) => to.includes(email)));

/** Where a redirect leads, as a browser resolves the Location header. */
const landsOn = (response: Response, base: string) => new URL(response.headers.get('location') ?? '', base);

describe('sign-in security (Postgres, Resend)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('postgres', { env: { SIGN_IN_EMAILS_PER_ADDRESS: '3', SIGN_IN_EMAILS_PER_IP: '10000' } });
  });
  afterAll(async () => app?.stop());

  describe('M1: callback URLs stay on this site', () => {
    const variants = (site: string) => [
      '/.//evil.example',
      '/..//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      '/x/..//evil.example',
      `${site}/.//evil.example`,
      '/.///evil.example',
      '//evil.example',
      '/\\evil.example',
      '/%5c%5cevil.example',
      '/\t/evil.example',
      'https://evil.example',
      'https:evil.example',
      'javascript:alert(1)',
    ];

    it('a signed-in visit to /signin?callbackUrl=… never redirects off-site', async () => {
      const person = new HttpClient(app.server.url);
      await person.signIn(uniqueEmail('m1'), app.latestLink);
      const offSite: string[] = [];
      for (const variant of variants(app.server.url)) {
        const response = await person.fetch(`/signin?${new URLSearchParams({ callbackUrl: variant })}`);
        expect(response.status).toBe(303);
        const location = response.headers.get('location') ?? '';
        if (landsOn(response, app.server.url).origin !== app.server.url || /^\/[/\\]/.test(location)) {
          offSite.push(`${variant} → ${location}`);
        }
      }
      expect(offSite).toEqual([]);
    });

    it('after the link or the code, the redirect stays on this site', async () => {
      const viaLink = new HttpClient(app.server.url);
      const linkEmail = uniqueEmail('m1-link');
      await viaLink.requestSignIn(linkEmail, '/.//evil.example');
      const byLink = await viaLink.confirmLink(await app.latestLink(linkEmail));
      expect(landsOn(byLink, app.server.url).origin).toBe(app.server.url);

      const viaCode = new HttpClient(app.server.url);
      const codeEmail = uniqueEmail('m1-code');
      await viaCode.requestSignIn(codeEmail, '/.//evil.example');
      const byCode = await viaCode.fetch('/signin/code', { form: { code: latestCode(app, codeEmail) } });
      expect(byCode.status).toBe(303);
      expect(byCode.headers.get('location')).not.toMatch(/^\/[/\\]/);
      expect(landsOn(byCode, app.server.url).origin).toBe(app.server.url);
      expect(viaCode.sessionCookie()).toBeTruthy();
    });
  });

  describe('M2: Auth.js mails exactly the address the app validated and counted', () => {
    it('duplicate email fields are refused: no mail to the second address, however often', async () => {
      const victim = uniqueEmail('victim');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const client = new HttpClient(app.server.url);
        const csrfToken = await csrfTokenFor(client);
        const body = new URLSearchParams([
          ['email', uniqueEmail(`throwaway${i}`)],
          ['email', victim],
          ['csrfToken', csrfToken],
        ]);
        statuses.push((await postSignIn(client, body.toString())).status);
      }
      expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
      expect(mailsTo(app, victim)).toHaveLength(0);
    });

    it.each(['csrfToken', 'callbackUrl'])('a duplicate %s field is refused too', async (field) => {
      const client = new HttpClient(app.server.url);
      const csrfToken = await csrfTokenFor(client);
      const email = uniqueEmail('dup-field');
      const body = new URLSearchParams([
        ['email', email],
        ['csrfToken', csrfToken],
        ['callbackUrl', '/todos'],
        [field, field === 'csrfToken' ? csrfToken : '/account'],
      ]);
      const response = await postSignIn(client, body.toString());
      expect(response.status).toBe(400);
      expect(mailsTo(app, email)).toHaveLength(0);
    });

    it('a JSON body is refused (Auth.js would read the JSON, the app the form fields)', async () => {
      const victim = uniqueEmail('json-victim');
      for (let i = 0; i < 6; i += 1) {
        const client = new HttpClient(app.server.url);
        const csrfToken = await csrfTokenFor(client);
        // Read as a form, this carries email=throwaway…; read as JSON, email is the victim.
        const body = JSON.stringify({ email: victim, csrfToken, pad: `&email=${uniqueEmail(`json-throwaway${i}`)}&` });
        const response = await postSignIn(client, body, 'application/json');
        expect(response.status).toBe(415);
      }
      expect(mailsTo(app, victim)).toHaveLength(0);
    });

    const BAD_ADDRESSES = [
      'a,b@example.com',
      'x y@example.com',
      '<script>x</script>@example.com',
      `x@${'d'.repeat(5000)}.example`,
      'x\r\nbcc: z@example.com',
      'victim <attacker@evil.example>',
      'group:attacker@evil.example;',
    ];

    it.each(BAD_ADDRESSES.map((a) => [JSON.stringify(a.slice(0, 40)), a]))(
      '%s is never mailed, as the only or the second field',
      async (_label, bad) => {
        const before = app.resend!.calls.length;
        const alone = new HttpClient(app.server.url);
        const aloneResponse = await postSignIn(
          alone,
          new URLSearchParams({ email: bad, csrfToken: await csrfTokenFor(alone) }).toString(),
        );
        expect(aloneResponse.status).toBe(303);
        expect(aloneResponse.headers.get('location')).toMatch(/^\/signin\?error=invalid-email/);
        const second = new HttpClient(app.server.url);
        const body = new URLSearchParams([
          ['email', uniqueEmail('cover')],
          ['email', bad],
          ['csrfToken', await csrfTokenFor(second)],
        ]);
        const secondResponse = await postSignIn(second, body.toString());
        expect(secondResponse.status).toBeGreaterThanOrEqual(400);
        expect(secondResponse.status).toBeLessThan(500);
        expect(app.resend!.calls.length).toBe(before);
      },
    );

    it('the per-address limit still counts form requests (3, then the too-many-requests page)', async () => {
      const email = uniqueEmail('counted');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await new HttpClient(app.server.url).requestSignIn(email)).status);
      expect(statuses).toEqual([302, 302, 302, 303]);
      expect(mailsTo(app, email)).toHaveLength(3);
    });

    it('the address is mailed in its normalised form', async () => {
      const email = uniqueEmail('normal');
      const response = await new HttpClient(app.server.url).requestSignIn(`  ${email.toUpperCase()} `);
      expect(response.status).toBe(302);
      expect(mailsTo(app, email).map((c) => c.body.to)).toEqual([[email]]);
    });
  });

  describe('M3: only a POST from this site completes a sign-in', () => {
    it('a GET or HEAD of the callback lands on the confirm page and changes nothing', async () => {
      const attackerEmail = uniqueEmail('attacker');
      await new HttpClient(app.server.url).requestSignIn(attackerEmail);
      const link = new URL(await app.latestLink(attackerEmail));
      const victimEmail = uniqueEmail('victim-m3');
      const victim = new HttpClient(app.server.url);
      await victim.signIn(victimEmail, app.latestLink);
      const victimCookie = victim.sessionCookie();

      for (const method of ['GET', 'HEAD']) {
        const response = await victim.fetch(`/api/auth/callback/email${link.search}`, { method });
        expect(response.status).toBe(303);
        const target = landsOn(response, app.server.url);
        expect(target.pathname).toBe('/signin/confirm');
        expect(target.search).toBe(link.search);
        expect(response.headers.getSetCookie().filter((c) => c.includes('session-token'))).toEqual([]);
      }
      expect(victim.sessionCookie()).toBe(victimCookie);
      const session = (await (await victim.fetch('/api/auth/session')).json()) as { user: { email: string } };
      expect(session.user.email).toBe(victimEmail);
      expect(await tokenRows(app, attackerEmail)).toBe(1);
    });

    it('a cross-site POST to the callback is refused and leaves the link usable', async () => {
      const email = uniqueEmail('cross-site');
      await new HttpClient(app.server.url).requestSignIn(email);
      const link = new URL(await app.latestLink(email));
      const victim = new HttpClient(app.server.url);
      const response = await victim.fetch(`/api/auth/callback/email${link.search}`, {
        method: 'POST',
        form: {},
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      });
      expect(response.status).toBe(403);
      expect(victim.sessionCookie()).toBeUndefined();
      expect(await tokenRows(app, email)).toBe(1);
      // The person's own click still works.
      expect((await new HttpClient(app.server.url).confirmLink(link.href)).status).toBe(302);
    });
  });

  describe('M4: the session endpoint', () => {
    it('gives the page the user and the expiry, never the session token', async () => {
      const email = uniqueEmail('m4');
      const person = new HttpClient(app.server.url);
      await person.signIn(email, app.latestLink);
      const response = await person.fetch('/api/auth/session');
      const text = await response.text();
      const session = JSON.parse(text) as Record<string, unknown> & { user: Record<string, unknown> };
      expect(session.user).toMatchObject({ email, id: expect.any(Number) });
      expect(typeof session.expires).toBe('string');
      expect(Object.keys(session).sort()).toEqual(['expires', 'user']);
      expect(text).not.toContain('sessionToken');
      expect(text).not.toContain('userId');
      expect(text).not.toContain(person.sessionCookie()!);
    });
  });

  describe('L1: the one-time code works only in the browser that asked', () => {
    const forgedPending = (email: string) =>
      Buffer.from(JSON.stringify({ email, callbackUrl: '/todos' })).toString('base64url');

    it('a forged pending cookie and the right code do not sign in', async () => {
      const email = uniqueEmail('l1-forged');
      await new HttpClient(app.server.url).requestSignIn(email);
      const attacker = new HttpClient(app.server.url);
      attacker.cookies.set('signin-pending', forgedPending(email));
      const response = await attacker.fetch('/signin/code', { form: { code: latestCode(app, email) } });
      expect(response.headers.get('location')).toBe('/signin?error=code-session');
      expect(attacker.sessionCookie()).toBeUndefined();
    });

    it('a forged cookie cannot spend the asking browser’s attempts or tell whether a sign-in is pending', async () => {
      const email = uniqueEmail('l1-burn');
      const person = new HttpClient(app.server.url);
      await person.requestSignIn(email);
      const code = latestCode(app, email);
      const wrong = String((Number(code) + 1) % 10 ** 8).padStart(8, '0');
      const attacker = new HttpClient(app.server.url);
      attacker.cookies.set('signin-pending', forgedPending(email));
      const answers = new Set<string>();
      for (let i = 0; i < 6; i += 1)
        answers.add((await attacker.fetch('/signin/code', { form: { code: wrong } })).headers.get('location') ?? '');
      // Nobody pending for this address: the same answer.
      attacker.cookies.set('signin-pending', forgedPending(uniqueEmail('nobody')));
      answers.add((await attacker.fetch('/signin/code', { form: { code: wrong } })).headers.get('location') ?? '');
      expect([...answers]).toEqual(['/signin?error=code-session']);
      const signedIn = await person.fetch('/signin/code', { form: { code } });
      expect(signedIn.headers.get('location')).toBe('/todos');
      expect(person.sessionCookie()).toBeTruthy();
    });

    it('a tampered cookie (another address with the original signature) is no pending sign-in', async () => {
      const person = new HttpClient(app.server.url);
      await person.requestSignIn(uniqueEmail('l1-own'));
      const target = uniqueEmail('l1-target');
      await new HttpClient(app.server.url).requestSignIn(target);
      const genuine = person.cookies.get('signin-pending')!;
      const [payload = '', ...rest] = genuine.split('.');
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const tampered = [Buffer.from(JSON.stringify({ ...decoded, email: target })).toString('base64url'), ...rest].join(
        '.',
      );
      person.cookies.set('signin-pending', tampered);
      const response = await person.fetch('/signin/code', { form: { code: latestCode(app, target) } });
      expect(response.headers.get('location')).toBe('/signin?error=code-session');
      expect(person.sessionCookie()).toBeUndefined();
    });

    it('another browser asking for the same address (and locking its own code) leaves this browser’s code working', async () => {
      const email = uniqueEmail('l1-two');
      const person = new HttpClient(app.server.url);
      await person.requestSignIn(email);
      const code = latestCode(app, email);
      const attacker = new HttpClient(app.server.url);
      await attacker.requestSignIn(email);
      const wrong = String((Number(latestCode(app, email)) + 1) % 10 ** 8).padStart(8, '0');
      for (let i = 0; i < 5; i += 1) await attacker.fetch('/signin/code', { form: { code: wrong } });
      expect((await attacker.fetch('/signin/code', { form: { code: wrong } })).headers.get('location')).toBe(
        '/signin/check-email?error=code-locked',
      );
      const signedIn = await person.fetch('/signin/code', { form: { code } });
      expect(signedIn.headers.get('location')).toBe('/todos');
    });
  });

  describe('L5: bad input to /api/auth is answered, not logged as an error', () => {
    it.each([
      ['/api/auth/signin/email', 'application/json', '{"email":'],
      ['/api/auth/callback/email?token=x&email=a%40example.com', 'application/json', '{bad'],
      ['/api/auth/signout', 'application/json', '{'],
      ['/api/auth/session', 'application/json', '{"data":'],
      ['/api/auth/signin/email', 'text/plain', 'email=a@example.com'],
      ['/api/auth/signin/email', 'multipart/form-data; boundary=x', '--x--'],
    ])('POST %s as %s: 400/415 and at most one warning', async (path, contentType, body) => {
      const mark = app.server.logs().length;
      const response = await new HttpClient(app.server.url).fetch(path, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
      });
      expect([400, 415]).toContain(response.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const lines = app.server.logs().slice(mark).split('\n').filter(Boolean);
      expect(lines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
      expect(lines.filter((l) => l.includes('"level":"warn"')).length).toBeLessThanOrEqual(1);
      expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    });
  });
});

describe('sign-in security over SMTP', () => {
  let sink: SmtpSink;
  let app: RunningApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startApp('postgres', {
      env: { RESEND_API_KEY: '', SMTP_URL: sink.url, SIGN_IN_EMAILS_PER_IP: '10000' },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });

  it.each([
    'victim <attacker@evil.example>',
    'group:attacker@evil.example;',
    'victim@example.com, attacker@evil.example',
  ])('M2: %j as a second email field delivers nothing to anyone', async (bad) => {
    const client = new HttpClient(app.server.url);
    const body = new URLSearchParams([
      ['email', uniqueEmail('cover')],
      ['email', bad],
      ['csrfToken', await csrfTokenFor(client)],
    ]);
    await postSignIn(client, body.toString());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.messages.filter((m) => m.to.some((to) => to.includes('evil.example')))).toEqual([]);
    expect(sink.messages).toEqual([]);
  });
});

describe('sign-in security in local mode (outbox log)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('local');
  });
  afterAll(async () => app?.stop());

  it('L5: CR/LF in a submitted address never starts a log line of its own', async () => {
    const client = new HttpClient(app.server.url);
    const body = new URLSearchParams([
      ['email', 'cover@example.com'],
      ['email', 'x\r\nbcc: z@example.com'],
      ['csrfToken', await csrfTokenFor(client)],
    ]);
    await postSignIn(client, body.toString());
    const single = new HttpClient(app.server.url);
    await postSignIn(
      single,
      new URLSearchParams({ email: 'y\nforged: line@example.com', csrfToken: await csrfTokenFor(single) }).toString(),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.server.logs()).not.toMatch(/^\s*(bcc|forged):/m);
  });
});
