/** The changelog as an RSS feed (prerendered), linked from every page's head and the footer. */
import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { changelogPath, newestFirst } from '#lib/content/changelog.ts';
import { SITE_NAME } from '#lib/content/site.ts';

export const prerender = true;

export const GET: APIRoute = async ({ site }) => {
  const entries = newestFirst(await getCollection('changelog'));
  return rss({
    title: `${SITE_NAME} changelog`,
    description: `New features, fixes and improvements in ${SITE_NAME}.`,
    site: site!,
    items: entries.map((entry) => ({
      title: entry.data.title,
      description: entry.data.description,
      pubDate: entry.data.date,
      link: changelogPath(entry.id),
    })),
    customData: '<language>en</language>',
    // Links as the pages' canonical URLs: no trailing slash.
    trailingSlash: false,
  });
};
