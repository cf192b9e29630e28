/**
 * The account page that explains itself (issue #13 parts 3–5), on the production build on real
 * Postgres: each session's device and "This device", a reason beside every disabled control,
 * changing the email address (a link to the new address, a notice to the old one, no enumeration)
 * and "download my data" (everything, and no token or secret).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp, signInByMail } from '../support/running-app.ts';
import { uniqueEmail } from '../support/users.ts';

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const textOf = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('the account page explains itself', () => {
  let app: RunningApp;
  const signedIn = (email: string, userAgent?: string) => signInByMail(app, email, userAgent);
  const mailsTo = (email: string) => app.resend!.calls.filter((c) => c.body.to.includes(email));
  const linkIn = (text: string) => /https?:\/\/\S+\/account\/confirm-email\?token=[0-9a-f]+/.exec(text)?.[0];
  const changeEmail = (client: HttpClient, email: string) =>
    client.fetch('/account', { form: { action: 'change-email', email } });

  beforeAll(async () => {
    app = await startApp('postgres', { env: { SIGN_IN_EMAILS_PER_IP: '1000', SIGN_IN_EMAILS_PER_ADDRESS: '3' } });
  });
  afterAll(async () => app?.stop());

  it('names each session’s browser and OS, and marks this device', async () => {
    const email = uniqueEmail('devices');
    const laptop = await signedIn(email, FIREFOX_WINDOWS);
    await signedIn(email, SAFARI_IPHONE);
    const page = textOf(await (await laptop.fetch('/account')).text());
    expect(page).toMatch(/Firefox on Windows\s*This device/);
    expect(page).toContain('Safari on iOS');
    expect(page.match(/This device/g)).toHaveLength(1);
    // Times: UTC from the server, said so (the browser rewrites them in its own zone).
    expect(page).toMatch(/Last used \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
  });

  it('gives a disabled control its reason: one session cannot sign out of the others', async () => {
    const alone = await signedIn(uniqueEmail('alone'));
    const html = await (await alone.fetch('/account')).text();
    const button = /<button[^>]*>\s*Sign out of other sessions/.exec(html)![0];
    expect(button).toContain('disabled');
    const reasonId = /aria-describedby="([^"]+)"/.exec(button)![1];
    expect(textOf(new RegExp(`<p[^>]*id="${reasonId}"[^>]*>[^<]*</p>`).exec(html)![0])).toContain(
      'this is your only session',
    );
    // Every disabled button on the page is described.
    for (const disabled of html.match(/<button[^>]*disabled[^>]*>/g) ?? [])
      expect(disabled).toContain('aria-describedby');
  });

  it('changes the email address through a link to the new address; the old one gets a notice', async () => {
    const oldEmail = uniqueEmail('old');
    const newEmail = uniqueEmail('new');
    const client = await signedIn(oldEmail);
    const asked = await changeEmail(client, newEmail);
    expect(asked.headers.get('location')).toBe(
      `/account?${new URLSearchParams({ 'email-sent': newEmail })}#change-email`,
    );
    expect(textOf(await (await client.fetch(asked.headers.get('location')!)).text())).toContain(
      `We sent a link to ${newEmail}`,
    );
    const [mail] = mailsTo(newEmail);
    const link = new URL(linkIn(mail!.body.text)!);
    const path = link.pathname + link.search;

    // Opening it (a scanner, or the person) changes nothing; any number of times.
    const stranger = new HttpClient(app.server.url);
    for (let i = 0; i < 2; i += 1) {
      const page = await stranger.fetch(path);
      expect(page.status).toBe(200);
      expect(textOf(await page.text())).toContain(`Use ${newEmail} to sign in?`);
      expect((await stranger.fetch(path, { method: 'HEAD' })).status).toBe(200);
    }
    expect((await client.fetch('/account/export').then((r) => r.json())).account.email).toBe(oldEmail);

    // The button (a POST from this site) spends it; it works in any browser, signed in or not.
    const done = await stranger.fetch(path, { method: 'POST', form: {} });
    expect(done.status).toBe(200);
    expect(textOf(await done.text())).toContain(`From now on you sign in with ${newEmail}`);
    expect((await client.fetch('/account/export').then((r) => r.json())).account.email).toBe(newEmail);
    const notice = mailsTo(oldEmail).find((m) => m.body.subject.includes('was changed'));
    expect(notice?.body.text).toContain(newEmail);

    // Single use.
    const again = await stranger.fetch(path, { method: 'POST', form: {} });
    expect(again.status).toBe(410);
    expect(textOf(await again.text())).toContain('This link no longer works');
  });

  it('answers a taken address exactly like a free one; its link ends neutrally and changes nothing', async () => {
    const taken = uniqueEmail('taken');
    const owner = await signedIn(taken);
    const free = uniqueEmail('free');
    const asker = await signedIn(uniqueEmail('asker'));
    const answers = [];
    for (const email of [taken, free]) {
      const response = await changeEmail(asker, email);
      answers.push([response.status, response.headers.get('location')?.replace(encodeURIComponent(email), 'X')]);
    }
    expect(answers[0]).toEqual(answers[1]);
    const takenMail = mailsTo(taken).find((m) => m.body.subject.includes('Confirm your new email address'));
    const freeMail = mailsTo(free).find((m) => m.body.subject.includes('Confirm your new email address'));
    expect(takenMail?.body.subject).toBe(freeMail?.body.subject);
    const link = new URL(linkIn(takenMail!.body.text)!);
    const spent = await owner.fetch(link.pathname + link.search, { method: 'POST', form: {} });
    expect(spent.status).toBe(410);
    expect(textOf(await spent.text())).toContain('Nothing was changed');
    expect((await owner.fetch('/account/export').then((r) => r.json())).account.email).toBe(taken);
    // The asker's newest request (the free address) replaced the taken one; it still works.
    const freeLink = new URL(linkIn(freeMail!.body.text)!);
    expect((await asker.fetch(freeLink.pathname + freeLink.search)).status).toBe(200);
  });

  it('keeps what was typed on a refusal, and counts change emails against the sign-in limits', async () => {
    const client = await signedIn(uniqueEmail('typo'));
    const typo = await changeEmail(client, 'not an address');
    const page = await (await client.fetch(typo.headers.get('location')!)).text();
    expect(page).toMatch(/id="new-email"[^>]*value="not an address"/);
    expect(textOf(page)).toContain('doesn’t look like an email address');

    const target = uniqueEmail('popular');
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push(new URL((await changeEmail(client, target)).headers.get('location')!, app.server.url).searchParams);
    }
    expect(statuses.slice(0, 3).map((s) => s.get('email-sent'))).toEqual([target, target, target]);
    expect(statuses[3]!.get('email-error')).toBe('too-many');
    expect(mailsTo(target)).toHaveLength(3);
    const refusal = await (await client.fetch(`/account?${statuses[3]}`)).text();
    expect(textOf(refusal)).toMatch(/Please try again in about 1[45] minutes\./);
  });

  it('exports the account, its sessions and its todos as a JSON download with no token or secret', async () => {
    const email = uniqueEmail('export');
    const client = await signedIn(email, FIREFOX_WINDOWS);
    await signedIn(email, SAFARI_IPHONE);
    for (const content of ['milk', 'eggs']) await client.fetch('/api/todos', { json: { content } });
    const response = await client.fetch('/account/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="account-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers.get('cache-control')).toContain('no-store');
    const raw = await response.text();
    const data = JSON.parse(raw);
    expect(data.account).toMatchObject({ email });
    expect(data.todos.map((t: { content: string }) => t.content)).toEqual(['milk', 'eggs']);
    expect(data.sessions).toHaveLength(2);
    expect(data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(data.sessions.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(
      [FIREFOX_WINDOWS, SAFARI_IPHONE].sort(),
    );
    // No session token (raw or hashed), no link or code material, no key named like a secret.
    const token = client.sessionCookie()!;
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(hashSessionToken(token));
    const { rows } = await app.database!.query<{ sessionToken: string }>(
      'SELECT s."sessionToken" FROM sessions s JOIN users u ON u.id = s."userId" WHERE u.email = $1',
      [email],
    );
    for (const row of rows) expect(raw).not.toContain(row.sessionToken);
    expect(raw).not.toMatch(/token|secret|salt|nonce|hash/i);
  });

  it('sends a signed-out export request to sign in and back', async () => {
    const response = await new HttpClient(app.server.url).fetch('/account/export');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/signin?callbackUrl=%2Faccount');
  });
});
