/**
 * knip (`npm run knip`): files, exports and dependencies nothing uses. Its Astro, Vitest,
 * Playwright, ESLint and Prettier plugins find those tools' entry points (pages, middleware,
 * content config, astro.config.mjs, test files, configs); the entries below are the rest.
 */
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  // package.json's scripts name the scripts and the bench's Vitest config.
  entry: [
    // The production server's source: src/build/server-entry.ts compiles it by path at build time.
    'src/server/index.ts',
    // Run by hand or by other scripts (`node scripts/x.ts`), not always through package.json.
    'scripts/*.ts',
    // The build swaps this route in by its path (src/build/image-endpoint-off.ts).
    'src/build/image-endpoint-404.ts',
  ],
  project: ['src/**/*.{ts,tsx,astro,mjs,mdx}', 'scripts/**/*.ts', 'tests/**/*.ts', '*.{ts,mjs,js}'],
  // An export used in its own file is a needless `export`, not dead code.
  ignoreExportsUsedInFile: true,
  ignoreDependencies: [
    // Loaded by name at run time: pino's pretty transport (`npm run dev`'s log output).
    'pino-pretty',
    // Starlight's search UI, installed with @astrojs/starlight; our copy of its Search component
    // (src/components/docs/Search.astro) imports it the same way.
    '@pagefind/default-ui',
  ],
  ignoreIssues: {
    // The store takes the whole module as its default API (`api: TodoApi = client`), a use knip
    // cannot follow; tests pass a stand-in of the same shape.
    'src/todos/client.ts': ['exports'],
  },
};

export default config;
