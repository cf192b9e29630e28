/**
 * Issue #10, H1 / L4 / M5: who may read the local mailbox, which Host names the server answers
 * (DNS rebinding), which origins may write, that every response carries the security headers, and
 * that the on-demand image endpoint transforms nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAppServerExpectingExit, startAppServer, type AppServer } from '../support/app-server.ts';
import { HttpClient } from '../support/http-client.ts';
import { freePort } from '#scripts/support/ports.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';

const DIST_CLIENT = path.resolve(import.meta.dirname, '../../dist/client');
const MAILBOX_PATHS = ['/dev/mailbox', '/dev/mailbox.json', '/dev/mailbox/1.html'];

/** A request with no Host header at all (HTTP/1.0 allows that; node:http always sends one). */
function requestWithoutHost(port: number, target = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.0\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('local mode listens on loopback only', () => {
  it('refuses to start on 0.0.0.0 without DATABASE_URL, and says what to set', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'app-data-'));
    try {
      const { code, output } = await runAppServerExpectingExit({
        HOST: '0.0.0.0',
        PORT: String(await freePort()),
        DATA_DIR: dataDir,
      });
      expect(code).toBe(1);
      expect(output).toContain('DATABASE_URL');
      expect(output).toContain('LOCAL_MODE_ON_NETWORK=1');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts on 0.0.0.0 with LOCAL_MODE_ON_NETWORK=1, with the mailbox off (404) and saying so', async () => {
    const server = await startAppServer({ env: { HOST: '0.0.0.0', LOCAL_MODE_ON_NETWORK: '1' } });
    try {
      const asked = await new HttpClient(server.url).requestSignIn('victim@corp.example');
      expect(asked.status).toBe(302);
      for (const mailbox of MAILBOX_PATHS) expect((await fetch(`${server.url}${mailbox}`)).status, mailbox).toBe(404);
      expect(server.logs()).toMatch(/mailbox is off/i);
    } finally {
      await server.stop();
    }
  });
});

describe('the local mailbox', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('local');
    const asked = await new HttpClient(app.server.url).requestSignIn('victim@corp.example');
    expect(asked.status).toBe(302);
  });
  afterAll(async () => app?.stop());

  const cases: Array<[string, number, (port: number) => Record<string, string>]> = [
    ['Host localhost:port', 200, (port) => ({ host: `localhost:${port}` })],
    ['Host localhost', 200, () => ({ host: 'localhost' })],
    ['Host 127.0.0.1:port', 200, (port) => ({ host: `127.0.0.1:${port}` })],
    ['Host [::1]:port', 200, (port) => ({ host: `[::1]:${port}` })],
    ['X-Forwarded-For', 404, (port) => ({ host: `127.0.0.1:${port}`, 'x-forwarded-for': '198.51.100.7' })],
    ['Forwarded', 404, (port) => ({ host: `localhost:${port}`, forwarded: 'for=198.51.100.7;proto=https' })],
    ['X-Real-IP', 404, (port) => ({ host: `localhost:${port}`, 'x-real-ip': '198.51.100.7' })],
  ];
  describe.each(MAILBOX_PATHS)('%s', (mailbox) => {
    it.each(cases)('with %s answers %i', async (_label, status, headers) => {
      const response = await rawRequest(`${app.server.url}${mailbox}`, headers(app.server.port));
      expect(response.status).toBe(status);
      if (status === 404) expect(response.text()).not.toContain('victim@corp.example');
    });
  });

  it('is not served under a non-loopback SITE_URL host name, even in local mode', async () => {
    const port = await freePort();
    const server = await startAppServer({ port, env: { SITE_URL: `http://todos.lan:${port}` } });
    try {
      expect((await rawRequest(`${server.url}/dev/mailbox.json`, { host: `todos.lan:${port}` })).status).toBe(404);
      expect((await rawRequest(`${server.url}/dev/mailbox.json`, { host: `localhost:${port}` })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('Host check (DNS rebinding), local mode', () => {
  let app: RunningApp;
  let css: string;
  beforeAll(async () => {
    app = await startApp('local');
    css = `/_astro/${readdirSync(path.join(DIST_CLIENT, '_astro')).find((f) => f.endsWith('.css'))}`;
  });
  afterAll(async () => app?.stop());

  it.each([
    '/',
    '/about',
    '/favicon.svg',
    'CSS',
    '/signin',
    '/api/todos',
    '/dev/mailbox.json',
    '/no-such-page',
    '//about',
  ])('%s with a foreign Host answers 421', async (target) => {
    const url = `${app.server.url}${target === 'CSS' ? css : target}`;
    for (const host of ['evil.example', `evil.example:${app.server.port}`, 'todos.public.example']) {
      const response = await rawRequest(url, { host, 'x-forwarded-for': '198.51.100.7' });
      expect(response.status, host).toBe(421);
      if (target.startsWith('/api/')) {
        expect(response.headers['content-type']).toContain('application/json');
        expect(JSON.parse(response.text())).toMatchObject({ error: { code: 'misdirected_request' } });
      } else {
        expect(response.headers['content-type']).toContain('text/plain');
      }
    }
  });

  it('closes the connection when it refuses a chunked body it has not read (no next request is lost)', async () => {
    // The answer goes out before the body has arrived: without `Connection: close`, Node would
    // read the rest of that body as the next request's start and drop what follows on the socket.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(app.server.port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk: Buffer) => {
        data += chunk.toString('latin1');
        if (data.includes('\r\n\r\n') && !data.includes('GET /readyz')) {
          // The refusal arrived: finish the body and ask again on the same connection.
          socket.write('3\r\nabc\r\n0\r\n\r\n');
          socket.write(`GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:${app.server.port}\r\n\r\n`);
          data += 'GET /readyz';
        }
      });
      socket.on('close', () => resolve(data));
      // Once the refusal is in, a write can find the connection already closed by the server
      // (EPIPE / ECONNRESET): that is the closing this test asks for; the checks below still
      // require the refusal to have said so.
      socket.on('error', (error: NodeJS.ErrnoException) =>
        data.includes('GET /readyz') && (error.code === 'EPIPE' || error.code === 'ECONNRESET')
          ? resolve(data)
          : reject(error),
      );
      setTimeout(() => {
        socket.destroy();
        resolve(`${data}\n(timed out with the connection open)`);
      }, 3000);
      socket.write('POST /api/todos HTTP/1.1\r\nHost: evil.example\r\nTransfer-Encoding: chunked\r\n\r\n');
    });
    expect(raw).toMatch(/^HTTP\/1\.1 421 /);
    // Either the server said it closes (and did), or it answered the second request too.
    const closes = /\r\nconnection: close\r\n/i.test(raw.slice(0, raw.indexOf('\r\n\r\n') + 2));
    expect(closes || /HTTP\/1\.1 200 /.test(raw.slice(raw.indexOf('GET /readyz'))), raw).toBe(true);
    expect(raw).not.toContain('timed out');
  });

  it('compares host names, not ports', async () => {
    expect((await rawRequest(`${app.server.url}/`, { host: 'localhost:9999' })).status).toBe(200);
    expect((await rawRequest(`${app.server.url}/signin`, { host: '127.0.0.1' })).status).toBe(200);
  });

  it.each(['/healthz', '/readyz'])('%s answers whatever the Host (probes come with the pod IP)', async (probe) => {
    expect((await rawRequest(`${app.server.url}${probe}`, { host: '10.1.2.3:4321' })).status).toBe(200);
  });

  it('answers 400 to a request without a Host', async () => {
    expect(await requestWithoutHost(app.server.port)).toMatch(/^HTTP\/1\.[01] 400 /);
  });
});

describe('Host check, Postgres mode', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('postgres', { env: { SITE_URL: 'https://todos.example.test' } });
  });
  afterAll(async () => app?.stop());

  it.each([
    ['todos.example.test', 200],
    ['TODOS.example.test:443', 200],
    ['localhost', 421],
    ['127.0.0.1', 421],
    ['evil.example', 421],
  ] as const)('Host %s answers %i', async (host, status) => {
    expect((await rawRequest(`${app.server.url}/`, { host })).status).toBe(status);
  });

  it('still answers the probes on the pod IP', async () => {
    expect((await rawRequest(`${app.server.url}/healthz`, { host: '10.1.2.3:4321' })).status).toBe(200);
  });
});

describe('origin check for writes', () => {
  let app: RunningApp;
  let cookie: string;
  beforeAll(async () => {
    app = await startApp('local');
    const browser = new HttpClient(app.server.url);
    await browser.signIn(`origin.${Date.now()}@example.com`, (email) => app.latestLink(email));
    cookie = browser.cookieHeader();
  });
  afterAll(async () => app?.stop());

  const post = (host: string, origin: string) =>
    rawRequest(
      `${app.server.url}/api/todos`,
      { host, origin, cookie, 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ content: 'from somewhere' }),
    );

  it('refuses an origin that only matches the Host header', async () => {
    // The review's repro: a foreign Host is refused before the origin check...
    expect((await post('evil.example', 'http://evil.example')).status).toBe(421);
    // ...and with a Host that passes, an origin derived from it is still not the site's.
    const other = app.server.port === 9999 ? 9998 : 9999;
    expect((await post(`localhost:${other}`, `http://localhost:${other}`)).status).toBe(403);
  });

  it.each([
    ['the site URL', 201, (port: number) => `http://localhost:${port}`],
    ['its 127.0.0.1 alias', 201, (port: number) => `http://127.0.0.1:${port}`],
    ['its [::1] alias', 201, (port: number) => `http://[::1]:${port}`],
    ['another port', 403, (port: number) => `http://127.0.0.1:${port + 1}`],
    ['another scheme', 403, (port: number) => `https://localhost:${port}`],
    ['another host', 403, () => 'http://evil.example'],
  ])('Origin: %s answers %i', async (_label, status, origin) => {
    expect((await post(`127.0.0.1:${app.server.port}`, origin(app.server.port))).status).toBe(status);
  });
});

describe('security headers on every response', () => {
  const SECURITY = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-opener-policy': 'same-origin',
  };
  const targets: Array<[string, string, Record<string, string>?]> = [
    ['GET', '/'],
    ['GET', '//about'],
    ['GET', '/about/.'],
    ['GET', '/docs//'],
    ['GET', '/index.html.gz'],
    ['GET', '/no-such-page'],
    ['GET', '/api/no-such-route'],
    ['GET', '/signin'],
    ['GET', '/api/todos'],
    ['GET', '/sitemap.xml'],
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['GET', '/favicon.svg'],
    ['GET', '/_image?href=/favicon.svg&w=10&f=webp'],
    ['PUT', '/'],
    ['GET', '/', { host: 'evil.example' }],
  ];

  describe.each([
    ['http', false],
    ['https', true],
  ])('SITE_URL %s', (scheme, hsts) => {
    let server: AppServer;
    beforeAll(async () => {
      const port = await freePort();
      server = await startAppServer({ port, env: { SITE_URL: `${scheme}://localhost:${port}` } });
    });
    afterAll(async () => server?.stop());

    it.each(targets)('%s %s', async (method, target, headers = {}) => {
      const response = await rawRequest(`${server.url}${target}`, headers, method);
      expect(response.headers, `${response.status}`).toMatchObject(SECURITY);
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['strict-transport-security']).toBe(
        hsts ? 'max-age=63072000; includeSubDomains' : undefined,
      );
    });
  });
});

describe('the on-demand image endpoint', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('local');
  });
  afterAll(async () => app?.stop());

  it('is off: /_image answers 404 without transforming', async () => {
    const og = readdirSync(path.join(DIST_CLIENT, '_astro')).find((f) => /^og-image.*\.png$/.test(f));
    expect(og).toBeTruthy();
    const started = performance.now();
    const response = await fetch(`${app.server.url}/_image?href=/_astro/${og}&f=avif&q=100&w=1100`);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).not.toMatch(/^image\//);
    expect(elapsed).toBeLessThan(500);
  });

  // An image served on demand is referenced as `/_image?href=…`; the security-model docs page
  // names the endpoint in prose (`/_image`), which references nothing.
  it('is referenced by no built file and no on-demand page', async () => {
    const referencing = filesUnder(DIST_CLIENT)
      .filter((file) => !/\.(br|gz|png|jpe?g|webp|avif|ico|woff2?)$/.test(file))
      .filter((file) => readFileSync(file, 'utf8').includes('/_image?'));
    expect(referencing).toEqual([]);
    const anonymous = new HttpClient(app.server.url);
    const signedIn = new HttpClient(app.server.url);
    await signedIn.signIn(`image.${Date.now()}@example.com`, (email) => app.latestLink(email));
    for (const [browser, page] of [
      [anonymous, '/signin'],
      [signedIn, '/todos'],
      [signedIn, '/account'],
    ] as const) {
      const response = await browser.fetch(page);
      expect(response.status, page).toBe(200);
      expect(await response.text(), page).not.toContain('/_image?');
    }
  });
});
