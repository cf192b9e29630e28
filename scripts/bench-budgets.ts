/**
 * The bench's floors and byte budgets, and how the bytes are measured: what a browser downloads,
 * compressed (brotli), from the running server.
 */
import { rawRequest } from './support/raw-http.ts';

/** Route throughput as a share of its limit measured in the same run. */
export const FLOORS = {
  landingVsBare: 0.6,
  anonymousIslandVsBare: 0.5,
  /** Issue #15, against "Astro alone" (the 401-without-database row, same connections). */
  signedInApiVsAstro: 0.55,
  todosPageVsAstro: 0.25,
  /** Issue #15: /todos p99 at 50 connections, ms. */
  todosP99At50Ms: 150,
  /** Issue #15, with simulated database distance at 1 connection: p50 ≤ the round trip + this (ms). */
  patchP50OverRttMs: 2,
  todosP50OverRttMs: 4,
} as const;

/**
 * Issue #16: the server's resident memory at its peak during any production row, so the smallest
 * instances of common hosts (256 MiB) keep a margin; the server runs with the memory settings of
 * production (scripts/support/server-runtime.ts).
 */
export const MAX_RSS_MIB = 200;

/** The row the signed-in floors compare with: Astro's request handling without any database work. */
export const ASTRO_ALONE_ROUTE = 'PATCH without a session (401, no DB)';

export const BUDGETS = {
  landingHtmlCssBytes: 30 * 1024,
  todosJavaScriptBytes: 80 * 1024,
  /** Issue #12: a marketing page loads no JavaScript file (the theme script is inline, hashed). */
  landingJavaScriptBytes: 0,
  /** Issue #12: a docs page's JavaScript before the reader opens search (Pagefind loads then). */
  docsJavaScriptBytes: 25 * 1024,
} as const;

const BR = { 'accept-encoding': 'br' };

/** The landing page's HTML plus its stylesheets, as sent with brotli. */
export async function measureLandingBytes(baseUrl: string): Promise<number> {
  const page = await rawRequest(`${baseUrl}/`, BR);
  let total = page.body.length;
  for (const [, href] of page.text().matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) {
    total += (await rawRequest(`${baseUrl}${href}`, BR)).body.length;
  }
  return total;
}

/**
 * Every JavaScript file `pagePath` makes the browser load (script src, module preloads, island
 * component and renderer URLs, and their static imports, transitively), as sent with brotli.
 */
export async function measurePageScripts(
  baseUrl: string,
  pagePath: string,
  headers: Record<string, string>,
): Promise<number> {
  const page = await rawRequest(`${baseUrl}${pagePath}`, { ...BR, ...headers });
  if (page.status !== 200) throw new Error(`GET ${pagePath} answered ${page.status}`);
  const pending = [...page.text().matchAll(/(?:src|href|component-url|renderer-url)="(\/_astro\/[^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  const seen = new Set<string>();
  let total = 0;
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const script = await rawRequest(`${baseUrl}${url}`, BR);
    total += script.body.length;
    for (const [, relative] of script.text().matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      pending.push(new URL(relative!, `http://x${url}`).pathname);
    }
  }
  return total;
}
