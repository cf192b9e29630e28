/**
 * Stands in for Astro's on-demand image endpoint (`/_image`) in the production build: every image
 * of the site is transformed at build time (prerendered pages), so the endpoint would only serve
 * strangers who ask for costly transforms (an AVIF of a large image at q=100 costs ~0.85 s of CPU
 * per request). It answers 404 without reading anything. Wired by image-endpoint-off.ts (registered in astro.config.mjs);
 * `astro dev` keeps Astro's own endpoint, which the dev server needs for every image.
 * tests/http/security-host.test.ts checks that no page refers to /_image.
 */
import type { APIRoute } from 'astro';

export const prerender = false;

export const ALL: APIRoute = () =>
  new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
