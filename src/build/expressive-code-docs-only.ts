/**
 * Build step: keeps Expressive Code, which Starlight turns on for every Markdown and MDX file of
 * the project, to the docs (src/content/docs). A code block on the site's own pages (the landing
 * pages' Markdown) stays a plain <pre><code>: no copy-button script and no colour styles on pages
 * whose budget is "no JavaScript file".
 *
 * Expressive Code registers itself as a factory in the Markdown processor's `hastPlugins` (Astro's
 * default processor, Sätteri); a factory that returns null leaves the plugin out for that file.
 * Each factory is wrapped so that Expressive Code's plugin is left out outside the docs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const EXPRESSIVE_CODE_PLUGIN = 'astro-expressive-code-satteri';

type Factory = (context: { fileURL: URL | undefined }) => unknown;

/** Whether `fileURL` is a file under `docsDir`. */
export function isDocsFile(fileURL: URL | undefined, docsDir: string): boolean {
  if (fileURL?.protocol !== 'file:') return false;
  return !path.relative(docsDir, fileURLToPath(fileURL)).startsWith('..');
}

function docsOnly(factory: Factory, docsDir: string): Factory {
  return (context) => {
    const plugin = factory(context);
    const name = (plugin as { name?: unknown } | null)?.name;
    if (name === EXPRESSIVE_CODE_PLUGIN && !isDocsFile(context.fileURL, docsDir)) return null;
    return plugin;
  };
}

/** The Astro integration; list it after Starlight. */
export function expressiveCodeDocsOnly(): AstroIntegration {
  return {
    name: 'expressive-code-docs-only',
    hooks: {
      'astro:config:done': ({ config, logger }) => {
        const docsDir = fileURLToPath(new URL('content/docs/', config.srcDir));
        const options = config.markdown.processor.options as { hastPlugins?: unknown[] };
        const plugins = options.hastPlugins;
        if (!Array.isArray(plugins)) {
          logger.warn('the Markdown processor has no hastPlugins: Expressive Code runs on every page');
          return;
        }
        for (const [index, entry] of plugins.entries()) {
          if (typeof entry === 'function') plugins[index] = docsOnly(entry as Factory, docsDir);
        }
      },
    },
  };
}
