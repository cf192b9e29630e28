/**
 * A minimal browser stand-in for HTTP tests: keeps cookies, sends the Origin a browser would,
 * never follows redirects (tests assert on them), and signs in through the real email flow.
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  readonly baseUrl: string;
  /** The Origin its writes carry: the page's origin, i.e. SITE_URL's when that is not `baseUrl`. */
  readonly origin: string;
  /** The User-Agent every request sends (unset: the runtime's own). */
  userAgent: string | undefined;
  constructor(baseUrl: string, origin = baseUrl) {
    this.baseUrl = baseUrl;
    this.origin = new URL(origin).origin;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async fetch(
    path: string,
    init: RequestInit & { json?: unknown; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    if (this.userAgent && !headers.has('user-agent')) headers.set('user-agent', this.userAgent);
    const method = init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET');
    if (!['GET', 'HEAD'].includes(method) && !headers.has('origin')) headers.set('origin', this.origin);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      method,
      headers,
      body: body ?? null,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /expires=thu, 01 jan 1970/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Asks for a sign-in email through the real /signin form (CSRF token included). */
  async requestSignIn(email: string, callbackUrl = '/todos'): Promise<Response> {
    const page = await (await this.fetch('/signin')).text();
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page)?.[1];
    if (!csrfToken) throw new Error('No CSRF token on /signin');
    return this.fetch('/api/auth/signin/email', { form: { email, csrfToken, callbackUrl } });
  }

  /** Signs in through the email flow; `latestLink` reads the link from wherever the mail went. */
  async signIn(email: string, latestLink: (email: string) => Promise<string>): Promise<void> {
    const asked = await this.requestSignIn(email);
    if (asked.status !== 302) throw new Error(`Sign-in request answered ${asked.status}`);
    const callback = await this.confirmLink(await latestLink(email));
    if (callback.status !== 302 || !this.sessionCookie()) {
      throw new Error(`Callback answered ${callback.status} to ${callback.headers.get('location')}`);
    }
  }

  /** Opens an emailed link (the confirmation page) and presses its "Sign in" button. */
  async confirmLink(link: string): Promise<Response> {
    const url = new URL(link);
    const page = await this.fetch(url.pathname + url.search);
    const action = /<form method="post" action="([^"]+)"/.exec(await page.text())?.[1];
    if (page.status !== 200 || !action) throw new Error(`Confirmation page answered ${page.status} without a form`);
    return this.fetch(action.replace(/&amp;/g, '&'), { method: 'POST', form: {} });
  }

  sessionCookie(): string | undefined {
    return this.cookies.get('authjs.session-token') ?? this.cookies.get('__Secure-authjs.session-token');
  }
}
