/**
 * The per-IP sign-in limit behind a proxy (issue #10, L2), on the production build: with
 * CLIENT_IP_HEADER=x-forwarded-for the address the proxy appended counts, so a client that
 * prepends made-up addresses stays within its own limit, and addresses in one IPv6 /64 share one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';
import { uniqueEmail } from '../support/users.ts';

describe('per-IP sign-in limit behind a proxy', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('local', {
      env: { CLIENT_IP_HEADER: 'x-forwarded-for', SIGN_IN_EMAILS_PER_IP: '2', SIGN_IN_EMAILS_PER_ADDRESS: '100' },
    });
  });
  afterAll(async () => app?.stop());

  /** Asks for a sign-in email as a proxy would forward it: X-Forwarded-For as given. */
  async function ask(forwardedFor: string): Promise<number> {
    const client = new HttpClient(app.server.url);
    const page = await (await client.fetch('/signin')).text();
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page)![1]!;
    const response = await client.fetch('/api/auth/signin/email', {
      form: { email: uniqueEmail('ip'), csrfToken, callbackUrl: '/todos' },
      headers: { 'x-forwarded-for': forwardedFor },
    });
    return response.status;
  }

  it('counts the address the proxy appended, whatever the client put before it', async () => {
    const statuses = [];
    for (const fake of ['1.1.1.1', '2.2.2.2', '3.3.3.3, 4.4.4.4']) statuses.push(await ask(`${fake}, 203.0.113.7`));
    expect(statuses).toEqual([302, 302, 303]); // 303: to /signin/too-many-requests
    expect(await ask('203.0.113.8')).toBe(302); // another client is not affected
  });

  it('counts the addresses of one IPv6 /64 together', async () => {
    const statuses = [];
    for (const ip of ['2001:db8:1:2::a', '2001:db8:1:2:ffff::b', '2001:db8:1:2::c']) statuses.push(await ask(ip));
    expect(statuses).toEqual([302, 302, 303]); // 303: to /signin/too-many-requests
    expect(await ask('2001:db8:1:3::a')).toBe(302); // the next /64 is someone else
  });
});
