/**
 * Content Layer collections for the pages anonymous visitors read: the landing pages (home,
 * features, pricing, about) and the documentation. Markdown/MDX files under src/content; the
 * schema checks their frontmatter at build time, so a page with a missing title fails the build.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

const action = z.object({ label: z.string(), href: z.string(), secondary: z.boolean().default(false) });

const pages = defineCollection({
  loader: glob({ pattern: '*.{md,mdx}', base: './src/content/pages' }),
  schema: z.object({
    title: z.string(),
    /** Meta description and Open Graph description: one or two sentences. */
    description: z.string().min(50).max(200),
    heading: z.string(),
    eyebrow: z.string().optional(),
    lead: z.string().optional(),
    actions: z.array(action).default([]),
    /** Cards shown under the lead (home and features). */
    cards: z.array(z.object({ title: z.string(), body: z.string() })).default([]),
  }),
});

/**
 * The documentation, rendered by Starlight (astro.config.mjs): files under src/content/docs/docs
 * become /docs/<slug>; `sidebar.order` sets the reading order of the sidebar and prev/next links.
 */
const docs = defineCollection({
  loader: docsLoader(),
  schema: docsSchema({ extend: z.object({ description: z.string().min(50).max(200) }) }),
});

/** Starlight's interface strings where ours differ from its English ones (src/content/i18n/en.json). */
const i18n = defineCollection({ loader: i18nLoader(), schema: i18nSchema() });

export const collections = { pages, docs, i18n };
