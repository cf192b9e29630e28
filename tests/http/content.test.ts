/**
 * The content pages of the production build (local mode): every page in the sitemap is
 * prerendered HTML with its head tags and the account-menu island; the site's own pages ship no
 * JavaScript beyond Astro's inline island loader, the docs (Starlight) stay within their
 * JavaScript budget until search is opened, and the landing page within its size budget.
 */
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../support/app-server.ts';
import { rawRequest } from '#scripts/support/raw-http.ts';
import { THEME_SCRIPT } from '#lib/content/theme-script.ts';

/** The build's `site` (astro.config.mjs) when SITE_URL is not set at build time. */
const BUILD_SITE = (process.env.SITE_URL || 'http://localhost:4321').replace(/\/+$/, '');
const LANDING_PAGES = ['/', '/features', '/pricing', '/about'];
const DOCS = [
  'getting-started',
  'configuration',
  'email-providers',
  'deploying-with-neon',
  'security-model',
  'passkeys',
  'architecture',
  'api',
];
const DOCS_PAGES = ['/docs', ...DOCS.map((slug) => `/docs/${slug}`)];
const CONTENT_PAGES = [...LANDING_PAGES, ...DOCS_PAGES];
/** Astro's inline server-island loader and one fetch per island: two islands at most. */
const MAX_INLINE_SCRIPTS = 3;
const MAX_INLINE_SCRIPT_BYTES = 2048;
/** The theme script in <head> (src/lib/content/theme-script.ts), the one other script allowed. */
const MAX_THEME_SCRIPT_BYTES = 1024;
const MAX_LANDING_COMPRESSED_BYTES = 30 * 1024;
/** The docs' JavaScript until the reader opens search (issue #12's budget), brotli. */
const MAX_DOCS_SCRIPT_BROTLI_BYTES = 25 * 1024;

let server: AppServer;
const pages = new Map<string, string>();

const meta = (html: string, attribute: 'name' | 'property', key: string) =>
  new RegExp(`<meta ${attribute}="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`).exec(html)?.[1];

beforeAll(async () => {
  server = await startAppServer();
  for (const path of CONTENT_PAGES) {
    const response = await rawRequest(`${server.url}${path}`);
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    pages.set(path, response.text());
  }
});
afterAll(async () => server?.stop());

describe.each(CONTENT_PAGES)('%s', (path) => {
  const html = () => pages.get(path)!;

  it('has a title, description, canonical URL and Open Graph tags', () => {
    const canonical = /<link rel="canonical" href="([^"]+)"/.exec(html())?.[1];
    expect(canonical).toBe(`${BUILD_SITE}${path}`);
    expect(/<title>([^<]+)<\/title>/.exec(html())?.[1]).toMatch(/Astro Todos/);
    expect(meta(html(), 'name', 'description')?.length).toBeGreaterThanOrEqual(50);
    expect(meta(html(), 'property', 'og:url')).toBe(canonical);
    expect(meta(html(), 'property', 'og:title')).toBeTruthy();
    expect(meta(html(), 'property', 'og:description')).toBe(meta(html(), 'name', 'description'));
    expect(meta(html(), 'property', 'og:image')).toMatch(new RegExp(`^${BUILD_SITE}/_astro/og-image\\.[\\w-]+\\.png$`));
    expect(html()).toMatch(/<link rel="(shortcut )?icon"[^>]* href="\/favicon.svg"/);
  });

  it('carries the UserMenu server island', () => {
    expect(html()).toMatch(/fetch\("\/_server-islands\/UserMenu\?/);
    expect(html()).toContain('user-menu--loading');
  });
});

describe.each(LANDING_PAGES)('%s', (path) => {
  const html = () => pages.get(path)!;

  it('ships no JavaScript beyond the inline island loader and the inline theme script', () => {
    const all = [...html().matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    const theme = all.filter(([, , body]) => body === THEME_SCRIPT);
    expect(theme).toHaveLength(1);
    expect(Buffer.byteLength(THEME_SCRIPT)).toBeLessThan(MAX_THEME_SCRIPT_BYTES);
    const scripts = all.filter(([, , body]) => body !== THEME_SCRIPT);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.length).toBeLessThanOrEqual(MAX_INLINE_SCRIPTS);
    for (const [, attributes] of scripts) expect(attributes).not.toMatch(/\bsrc=/);
    const inlineBytes = scripts.reduce((sum, [, , body]) => sum + Buffer.byteLength(body!), 0);
    expect(inlineBytes).toBeLessThan(MAX_INLINE_SCRIPT_BYTES);
    expect(html()).not.toMatch(/<astro-island|modulepreload|\/_astro\/[^"]+\.js/);
  });
});

/** The static imports of a minified module (`import"./a.js"`, `from"./b.js"`); not `import()`. */
const staticImports = (code: string) =>
  [...code.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g)].map((match) => match[1]!);

/** Every script a page runs on load (inline, src= and what they import statically), by URL. */
async function scriptsOnLoad(html: string): Promise<Map<string, string>> {
  const scripts = new Map<string, string>();
  const pending: string[] = [];
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = /\bsrc="([^"]+)"/.exec(attributes!)?.[1];
    if (src) pending.push(src);
    else if (!/type="application\/(ld\+)?json"/.test(attributes!) && body) {
      scripts.set(`inline:${scripts.size}`, body);
      pending.push(...staticImports(body).map((url) => new URL(url, 'http://x/').pathname));
    }
  }
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (scripts.has(url)) continue;
    const response = await rawRequest(`${server.url}${url}`);
    expect(response.status, url).toBe(200);
    scripts.set(url, response.text());
    pending.push(...staticImports(response.text()).map((spec) => new URL(spec, `http://x${url}`).pathname));
  }
  return scripts;
}

describe('docs pages', () => {
  it.each(DOCS)('/docs/%s has a table of contents whose links reach its headings', (slug) => {
    const html = pages.get(`/docs/${slug}`)!;
    const toc = /<starlight-toc[\s\S]*?<\/starlight-toc>/.exec(html)?.[0];
    expect(toc).toBeTruthy();
    const targets = [...toc!.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
    expect(targets.length).toBeGreaterThanOrEqual(2);
    for (const id of targets) expect(html).toContain(`id="${id}"`);
  });

  it('lists every docs page in the sidebar and on the docs index', () => {
    for (const slug of DOCS) {
      expect(pages.get('/docs')).toContain(`href="/docs/${slug}"`);
      expect(pages.get('/docs/architecture')).toContain(`href="/docs/${slug}"`);
    }
    expect(pages.get('/docs/architecture')).toMatch(/href="\/docs\/architecture" aria-current="page"/);
  });

  it.each(DOCS_PAGES)('%s loads under 25 KB of JavaScript (brotli) until search is opened', async (path) => {
    const scripts = await scriptsOnLoad(pages.get(path)!);
    expect(
      [...scripts.keys()].some((url) => url.includes('pagefind')),
      'no search code before search',
    ).toBe(false);
    const total = [...scripts.values()].reduce((sum, code) => sum + brotliCompressSync(code).length, 0);
    console.info(`${path}: ${scripts.size} scripts, ${total} bytes brotli`);
    expect(total).toBeLessThan(MAX_DOCS_SCRIPT_BROTLI_BYTES);
  });
});

describe('images and budgets', () => {
  it('serves the Open Graph image from a hashed asset URL', async () => {
    const og = meta(pages.get('/')!, 'property', 'og:image')!;
    const image = await rawRequest(`${server.url}${new URL(og).pathname}`);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
  });

  it('shows the landing hero screenshot with its size, eagerly, from prerendered variants', async () => {
    const picture = /<picture\b[\s\S]*?<\/picture>/.exec(pages.get('/')!)?.[0];
    const img = /<img [^>]*>/.exec(picture ?? '')?.[0];
    expect(img).toMatch(/width="\d+"/);
    expect(img).toMatch(/height="\d+"/);
    expect(img).toMatch(/alt="[^"]{40,}"/);
    expect(img).toContain('loading="eager"');
    expect(img).toContain('fetchpriority="high"');
    const sources = [...picture!.matchAll(/(?:src|srcset)="([^"]+)"/g)].flatMap((match) =>
      match[1]!.split(',').map((candidate) => candidate.trim().split(' ')[0]!),
    );
    expect(sources.some((url) => url.endsWith('.avif'))).toBe(true);
    expect(sources.some((url) => url.endsWith('.webp'))).toBe(true);
    // The dark shot's sources come first, for the dark scheme (the theme script re-points them).
    expect(picture).toMatch(/<source [^>]*todos-screenshot-dark[^>]*media="\(prefers-color-scheme: dark\)"/);
    for (const url of new Set(sources)) {
      // Built files, not the on-demand image endpoint (which is off in production).
      expect(url).toMatch(/^\/_astro\/todos-screenshot(-dark)?\.[\w-]+\.(avif|webp|png)$/);
      const response = await rawRequest(`${server.url}${url}`);
      expect(response.status, url).toBe(200);
      expect(response.headers['content-type']).toBe(`image/${url.split('.').pop()}`);
    }
  });

  it('keeps the landing page HTML and CSS under 30 KB compressed', async () => {
    const html = await rawRequest(`${server.url}/`, { 'accept-encoding': 'br' });
    const stylesheets = [...html.text().matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1]!);
    let total = html.body.length;
    for (const href of stylesheets) {
      const css = await rawRequest(`${server.url}${href}`, { 'accept-encoding': 'br' });
      expect(css.headers['content-encoding']).toBe('br');
      total += css.body.length;
    }
    expect(total).toBeLessThan(MAX_LANDING_COMPRESSED_BYTES);
  });
});

describe('sitemap, robots.txt and not found', () => {
  it('lists every content page, and nothing private, in the sitemap', async () => {
    const index = await rawRequest(`${server.url}/sitemap-index.xml`);
    expect(index.status).toBe(200);
    const sitemapUrl = /<loc>([^<]+)<\/loc>/.exec(index.text())?.[1];
    expect(sitemapUrl).toBe(`${BUILD_SITE}/sitemap-0.xml`);
    const sitemap = await rawRequest(`${server.url}${new URL(sitemapUrl!).pathname}`, { 'accept-encoding': 'br' });
    expect(sitemap.headers['content-type']).toBe('application/xml; charset=utf-8');
    const locations = [...sitemap.text().matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]);
    for (const path of CONTENT_PAGES) expect(locations).toContain(`${BUILD_SITE}${path}`);
    for (const location of locations)
      expect(new URL(location!).pathname).not.toMatch(/^\/(signin|signout|todos|dev|api)(\/|$)/);
  });

  it('redirects /sitemap.xml to the sitemap index', async () => {
    const response = await rawRequest(`${server.url}/sitemap.xml`);
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('/sitemap-index.xml');
  });

  it('has a robots.txt that names the sitemap and keeps crawlers out of private routes', async () => {
    const robots = await rawRequest(`${server.url}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(robots.text()).toContain(`Sitemap: ${BUILD_SITE}/sitemap-index.xml`);
    for (const path of ['/api/', '/todos', '/signin']) expect(robots.text()).toContain(`Disallow: ${path}`);
  });

  it.each(['/no-such-page', '/docs/no-such-page', '/features/extra'])(
    'answers %s with the styled 404 page',
    async (path) => {
      const response = await rawRequest(`${server.url}${path}`, { 'accept-encoding': 'br' });
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      const html = response.text();
      expect(html).toContain('This page doesn’t exist');
      expect(html).toMatch(/<link rel="stylesheet" href="\/_astro\//);
      expect(html).toContain('href="/docs"');
    },
  );
});
