/** The web app manifest, prerendered: name, icons and colours for "Add to home screen". */
import type { APIRoute } from 'astro';
import { BACKGROUND_COLOR, MANIFEST_ICONS, THEME_COLORS } from '#lib/content/icons.ts';
import { DEFAULT_DESCRIPTION, SITE_NAME } from '#lib/content/site.ts';

export const prerender = true;

export const GET: APIRoute = () => {
  const manifest = {
    name: SITE_NAME,
    short_name: 'Todos',
    description: DEFAULT_DESCRIPTION,
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: THEME_COLORS.light,
    background_color: BACKGROUND_COLOR,
    icons: MANIFEST_ICONS,
  };
  return new Response(JSON.stringify(manifest, null, 2), {
    headers: { 'Content-Type': 'application/manifest+json; charset=utf-8' },
  });
};
