/** robots.txt, prerendered: everything but the private routes, and where the sitemap is. */
import type { APIRoute } from 'astro';

export const prerender = true;

const PRIVATE = ['/api/', '/todos', '/signin', '/signout', '/dev/', '/_server-islands/'];

export const GET: APIRoute = ({ site }) => {
  const sitemap = new URL('/sitemap-index.xml', site).href;
  const lines = [
    'User-agent: *',
    'Allow: /',
    ...PRIVATE.map((path) => `Disallow: ${path}`),
    '',
    `Sitemap: ${sitemap}`,
    '',
  ];
  return new Response(lines.join('\n'), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
