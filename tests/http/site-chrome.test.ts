/**
 * The site's chrome in the production build (local mode): the changelog feed and pages, the web
 * app manifest and icons, theme-color, and the human sitemap the footer links to.
 * (The feed is parsed by a real XML parser in tests/e2e/site-chrome.spec.ts.)
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../support/app-server.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';

const BUILD_SITE = (process.env.SITE_URL || 'http://localhost:4321').replace(/\/+$/, '');

let server: AppServer;
let home: string;

beforeAll(async () => {
  server = await startAppServer();
  home = (await rawRequest(`${server.url}/`)).text();
});
afterAll(async () => server?.stop());

/** The text of each `<tag>` inside `xml`. */
const all = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]!);

/** The few entities the feed and the pages write (the two escape an apostrophe differently). */
const decode = (text: string) =>
  text.replace(
    /&(apos|#39|quot|amp|lt|gt);/g,
    (_, name: string) => ({ apos: "'", '#39': "'", quot: '"', amp: '&', lt: '<', gt: '>' })[name]!,
  );

describe('changelog', () => {
  it('serves an RSS feed whose items have a title, a link to their page and a date', async () => {
    const feed = await rawRequest(`${server.url}/changelog/rss.xml`, { 'accept-encoding': 'br' });
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(feed.headers['content-encoding']).toBe('br');
    const items = all(feed.text(), 'item');
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const item of items) {
      expect(all(item, 'title')[0]?.length).toBeGreaterThan(5);
      const link = all(item, 'link')[0]!;
      expect(link).toMatch(new RegExp(`^${BUILD_SITE}/changelog/[\\w-]+$`));
      expect(Number.isNaN(Date.parse(all(item, 'pubDate')[0]!))).toBe(false);
      // Each link is a page that exists, with the same title.
      const page = await rawRequest(`${server.url}${new URL(link).pathname}`);
      expect(page.status).toBe(200);
      const heading = /<h1[^>]*>([^<]+)<\/h1>/.exec(page.text())?.[1];
      expect(decode(heading!)).toBe(decode(all(item, 'title')[0]!));
    }
    const dates = items.map((item) => Date.parse(all(item, 'pubDate')[0]!));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('links the feed from the head and the footer of every page', () => {
    expect(home).toMatch(
      /<link rel="alternate" type="application\/rss\+xml" title="[^"]+" href="\/changelog\/rss\.xml">/,
    );
    expect(home).toMatch(/<footer[\s\S]*href="\/changelog\/rss\.xml"[\s\S]*<\/footer>/);
  });

  it('lists the changelog and its entries in the sitemap', async () => {
    const sitemap = (await rawRequest(`${server.url}/sitemap-0.xml`)).text();
    const locations = all(sitemap, 'loc');
    expect(locations).toContain(`${BUILD_SITE}/changelog`);
    expect(locations.filter((loc) => loc.startsWith(`${BUILD_SITE}/changelog/`)).length).toBeGreaterThanOrEqual(5);
  });
});

describe('Content-Security-Policy', () => {
  // Astro writes its policy as a <meta> at the end of <head>, and a <meta> policy governs only
  // what follows it; the theme script comes first, so a browser would run it even unhashed.
  // The hash must be listed all the same: the policy should describe every script the page has.
  it.each(['/', '/changelog', '/sitemap', '/pricing'])(
    '%s: every inline script is hashed in script-src',
    async (path) => {
      const html = (await rawRequest(`${server.url}${path}`)).text();
      const policy = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(html)?.[1];
      const scriptSrc = policy?.split(';').find((directive) => directive.trim().startsWith('script-src'));
      expect(scriptSrc).toBeTruthy();
      expect(scriptSrc).not.toContain('unsafe-inline');
      const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
      expect(scripts.length).toBeGreaterThanOrEqual(2);
      for (const body of scripts)
        expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    },
  );
});

describe('sitemap page', () => {
  it('the footer links a human sitemap, which lists pages, docs and changelog entries', async () => {
    expect(home).toMatch(/<footer[\s\S]*href="\/sitemap"[\s\S]*<\/footer>/);
    expect(home).not.toMatch(/<footer[\s\S]*sitemap-index\.xml[\s\S]*<\/footer>/);
    const page = await rawRequest(`${server.url}/sitemap`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const href of ['/pricing', '/docs/getting-started', '/changelog', '/changelog/2026-12-01-security-review'])
      expect(page.text()).toContain(`href="${href}"`);
  });
});

describe('icons, manifest and theme colours', () => {
  it('serves an apple-touch-icon (180x180 PNG) linked from the head', async () => {
    expect(home).toContain('<link rel="apple-touch-icon" href="/apple-touch-icon.png">');
    const icon = await rawRequest(`${server.url}/apple-touch-icon.png`);
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/png');
    // PNG signature, then the IHDR chunk: width and height at bytes 16 and 20.
    expect(icon.body.subarray(1, 4).toString()).toBe('PNG');
    expect([icon.body.readUInt32BE(16), icon.body.readUInt32BE(20)]).toEqual([180, 180]);
  });

  it('serves a web app manifest with name, icons 192 and 512, colours and display', async () => {
    expect(home).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    const response = await rawRequest(`${server.url}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    const manifest = JSON.parse(response.text()) as Record<string, unknown> & {
      icons: Array<{ src: string; sizes: string; type: string }>;
    };
    expect(manifest).toMatchObject({ name: 'Astro Todos', display: 'standalone', start_url: '/' });
    expect(manifest.short_name).toBeTruthy();
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    for (const size of [192, 512]) {
      const entry = manifest.icons.find((icon) => icon.sizes === `${size}x${size}`);
      expect(entry?.type).toBe('image/png');
      const icon = await rawRequest(`${server.url}${entry!.src}`);
      expect(icon.headers['content-type']).toBe('image/png');
      expect(icon.body.readUInt32BE(16)).toBe(size);
    }
  });

  it('has a theme-color for the light and the dark scheme', () => {
    expect(home).toMatch(
      /<meta name="theme-color" media="\(prefers-color-scheme: light\)" data-scheme="light" content="#[0-9a-f]{6}">/,
    );
    expect(home).toMatch(
      /<meta name="theme-color" media="\(prefers-color-scheme: dark\)" data-scheme="dark" content="#[0-9a-f]{6}">/,
    );
  });
});
