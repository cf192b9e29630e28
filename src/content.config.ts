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
    /** Price tiers (pricing): each with what it includes and its own call to action. */
    tiers: z
      .array(
        z.object({
          name: z.string(),
          price: z.string(),
          /** "per month", "one-time"…; empty for a free tier. */
          period: z.string().optional(),
          summary: z.string(),
          includes: z.array(z.string()).min(1),
          action: action,
          /** The tier most visitors should pick: highlighted. */
          featured: z.boolean().default(false),
        }),
      )
      .default([]),
    /** Questions and answers shown after the Markdown (plain text answers). */
    faq: z.array(z.object({ question: z.string(), answer: z.string() })).default([]),
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

/** Changelog: one dated entry per notable change (/changelog, /changelog/rss.xml). */
const changelog = defineCollection({
  loader: glob({ pattern: '*.md', base: './src/content/changelog' }),
  schema: z.object({
    title: z.string(),
    /** Summary for the index, the feed and the meta description. */
    description: z.string().min(50).max(200),
    date: z.coerce.date(),
  }),
});

/** Starlight's interface strings where ours differ from its English ones (src/content/i18n/en.json). */
const i18n = defineCollection({ loader: i18nLoader(), schema: i18nSchema() });

export const collections = { pages, docs, changelog, i18n };
