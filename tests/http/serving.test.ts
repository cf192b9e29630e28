/**
 * Compression and caching headers of the production build (local mode): prerendered pages and
 * hashed assets from the in-memory static layer, on-demand answers from Astro.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../support/app-server.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';
import { ROOT } from '#scripts/support/child-process.ts';

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../dist/client');
/** The largest built asset with this extension (small ones are below precompress's threshold). */
const asset = (extension: string) => {
  const dir = path.join(CLIENT_DIR, '_astro');
  const name = readdirSync(dir)
    .filter((file) => file.endsWith(extension))
    .sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0];
  if (!name) throw new Error(`No ${extension} file in dist/client/_astro: build first`);
  return `/_astro/${name}`;
};

let server: AppServer;
let islandPath: string;

beforeAll(async () => {
  server = await startAppServer();
  const home = await rawRequest(`${server.url}/`);
  const island = /\/_server-islands\/UserMenu\?[^"]+/.exec(home.text())?.[0];
  if (!island) throw new Error('The home page has no UserMenu island');
  islandPath = island.replaceAll('&amp;', '&');
});
afterAll(async () => server?.stop());

describe('content negotiation for static files', () => {
  it.each([
    ['br, gzip', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['deflate', undefined],
    ['br;q=0, gzip;q=0', undefined],
    ['', undefined],
  ])('Accept-Encoding %j → Content-Encoding %s', async (accept, expected) => {
    const response = await rawRequest(`${server.url}/`, accept ? { 'accept-encoding': accept } : {});
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(expected);
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.text()).toContain('<!DOCTYPE html>');
  });

  it.each(['.css', '.js'])('serves %s assets compressed and smaller than the original', async (extension) => {
    const url = `${server.url}${asset(extension)}`;
    const plain = await rawRequest(url);
    const br = await rawRequest(url, { 'accept-encoding': 'br' });
    const gz = await rawRequest(url, { 'accept-encoding': 'gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.body.length).toBeLessThan(plain.body.length);
    expect(gz.body.length).toBeLessThan(plain.body.length);
    expect(br.text()).toBe(plain.body.toString('utf8'));
    expect(gz.text()).toBe(plain.body.toString('utf8'));
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await rawRequest(`${server.url}/`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
    expect(response.body.length).toBe(0);
  });
});

describe('cache headers', () => {
  it.each(['.css', '.js'])('marks hashed %s assets immutable for a year', async (extension) => {
    const response = await rawRequest(`${server.url}${asset(extension)}`);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('makes prerendered HTML revalidate, with a strong ETag and Last-Modified', async () => {
    const response = await rawRequest(`${server.url}/`);
    expect(response.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect(response.headers.etag).toMatch(/^"[\w-]{20,}"$/);
    expect(new Date(response.headers['last-modified']!).getTime()).toBeGreaterThan(0);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps one ETag for every encoding of a page (it names the content, not the bytes sent)', async () => {
    const br = await rawRequest(`${server.url}/`, { 'accept-encoding': 'br' });
    const plain = await rawRequest(`${server.url}/`);
    expect(br.headers.etag).toBe(plain.headers.etag);
  });

  it.each([
    { name: 'a matching If-None-Match', headersFor: (etag: string) => ({ 'if-none-match': etag }), status: 304 },
    {
      name: 'a weak matching If-None-Match',
      headersFor: (etag: string) => ({ 'if-none-match': `W/${etag}` }),
      status: 304,
    },
    {
      name: 'a list containing the ETag',
      headersFor: (etag: string) => ({ 'if-none-match': `"other", ${etag}` }),
      status: 304,
    },
    { name: 'If-None-Match: *', headersFor: () => ({ 'if-none-match': '*' }), status: 304 },
    { name: 'another ETag', headersFor: () => ({ 'if-none-match': '"something-else"' }), status: 200 },
    {
      name: 'a stale ETag with a fresh date (the ETag wins)',
      headersFor: () => ({
        'if-none-match': '"old"',
        'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString(),
      }),
      status: 200,
    },
    {
      name: 'If-Modified-Since now',
      headersFor: () => ({ 'if-modified-since': new Date(Date.now() + 1000).toUTCString() }),
      status: 304,
    },
    {
      name: 'If-Modified-Since in 2001',
      headersFor: () => ({ 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' }),
      status: 200,
    },
    { name: 'an unparseable If-Modified-Since', headersFor: () => ({ 'if-modified-since': 'yesterday' }), status: 200 },
  ])('answers $name with $status', async ({ headersFor, status }) => {
    const first = await rawRequest(`${server.url}/`);
    const response = await rawRequest(`${server.url}/`, headersFor(first.headers.etag!));
    expect(response.status).toBe(status);
    if (status === 304) {
      expect(response.body.length).toBe(0);
      expect(response.headers.etag).toBe(first.headers.etag);
      expect(response.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    }
  });

  it('makes the server island private and uncacheable, with or without a session cookie', async () => {
    const anonymous = await rawRequest(`${server.url}${islandPath}`);
    const withCookie = await rawRequest(`${server.url}${islandPath}`, { cookie: 'authjs.session-token=not-a-session' });
    for (const response of [anonymous, withCookie]) {
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.text()).toContain('href="/signin"');
    }
  });

  it('gives island fragments a policy that runs nothing when opened alone, the same when answered from the server copy', async () => {
    const rendered = await rawRequest(`${server.url}${islandPath}`);
    const copied = await rawRequest(`${server.url}${islandPath}`);
    for (const response of [rendered, copied]) {
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    // Each answer carries its own request id, never the one of the request that was copied.
    expect(copied.headers['x-request-id']).toBeTruthy();
    expect(copied.headers['x-request-id']).not.toBe(rendered.headers['x-request-id']);
    expect(copied.text()).toBe(rendered.text());
  });

  it('gives every answer its own request id: a page from memory, its 304, a health probe, an API answer', async () => {
    const page = await rawRequest(`${server.url}/`);
    const answers = [
      page,
      await rawRequest(`${server.url}/`, { 'if-none-match': page.headers.etag! }),
      await rawRequest(`${server.url}/healthz`),
      await rawRequest(`${server.url}/api/todos`),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 304, 200, 401]);
    const ids = answers.map((a) => a.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the private, no-store of API answers', async () => {
    const response = await rawRequest(`${server.url}/api/todos`);
    expect(response.status).toBe(401);
    expect(response.headers['cache-control']).toBe('private, no-store');
  });
});

describe('on-demand compression', () => {
  it.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['identity', undefined],
  ])('compresses on-demand HTML for Accept-Encoding %s', async (accept, expected) => {
    const response = await rawRequest(`${server.url}/signin`, { 'accept-encoding': accept });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(expected);
    expect(response.headers.vary).toContain('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.text()).toContain('<form');
  });

  it('leaves bodies too small to gain from compression as they are', async () => {
    const response = await rawRequest(`${server.url}${islandPath}`, { 'accept-encoding': 'br' });
    expect(response.body.length).toBeLessThan(1024);
    expect(response.headers['content-encoding']).toBeUndefined();
  });

  it('answers a page Astro renders as not found with 404, not with a cached 200', async () => {
    const response = await rawRequest(`${server.url}/no-such-page`, { 'accept-encoding': 'br' });
    expect(response.status).toBe(404);
  });
});

describe('what Astro answers, with no file lookup on disk per request', () => {
  it.each([
    ['a bad escape in the path', '/%zz'],
    ['a truncated UTF-8 escape', '/%E0%A4%A'],
    ['a bad escape in the query of an on-demand page', '/signin?x=%zz'],
  ])('refuses a request target with %s: 400, as the adapter did', async (_label, target) => {
    const response = await rawRequest(`${server.url}${target}`);
    expect(response.status).toBe(400);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers['x-frame-options'] ?? response.headers['content-security-policy']).toBeDefined();
  });

  it.each([
    ['POST', '/about'],
    ['PATCH', '/'],
    ['DELETE', '/robots.txt'],
  ])(
    'answers %s on a file of the build with 405 (Allow: GET, HEAD), not with the file or a 404',
    async (method, target) => {
      const response = await rawRequest(`${server.url}${target}`, { 'content-type': 'text/plain' }, method, 'x');
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-request-id']).toBeTruthy();
      expect(response.text()).toBe('Method not allowed.');
    },
  );

  it("answers the 404 page's own address with its status, not with the file as a 200", async () => {
    const response = await rawRequest(`${server.url}/404.html`);
    expect(response.status).toBe(404);
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('redirects a trailing slash on an on-demand route to the address without it', async () => {
    const response = await rawRequest(`${server.url}/todos/?x=1`);
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('/todos?x=1');
  });

  it('serves only the files the build had at startup (read into memory once, never looked up again)', async () => {
    const distDir = path.join(ROOT, '.data', `test-dist-${randomBytes(4).toString('hex')}`);
    cpSync(path.resolve(CLIENT_DIR, '..'), distDir, { recursive: true });
    const copy = await startAppServer({ env: { DIST_DIR: distDir } });
    try {
      writeFileSync(path.join(distDir, 'client', 'late.txt'), 'written after startup\n');
      expect((await rawRequest(`${copy.url}/robots.txt`)).status).toBe(200);
      const late = await rawRequest(`${copy.url}/late.txt`);
      expect(late.status).toBe(404);
      expect(late.text()).not.toContain('written after startup');
    } finally {
      await copy.stop();
      rmSync(distDir, { recursive: true, force: true });
    }
  });
});
