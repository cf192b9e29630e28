// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import starlight from '@astrojs/starlight';
import auth from 'auth-astro';
import { astroCspDigestsOnce } from '#build/astro-csp-digests-once.ts';
import { astroIslandDecryptOnce } from '#build/astro-island-decrypt-once.ts';
import { astroRequestAccessors } from '#build/astro-request-accessors.ts';
import { authAstroWithoutBuildEnv } from '#build/auth-astro-without-build-env.ts';
import { clientBoundary } from '#build/client-boundary.ts';
import { cspInlineHashes } from '#build/csp-inline-hashes.ts';
import { imageEndpointOff } from '#build/image-endpoint-off.ts';
import { localDevServer } from '#build/local-dev-server.ts';
import { expressiveCodeDocsOnly } from '#build/expressive-code-docs-only.ts';
import { precompress } from '#build/precompress.ts';
import { serverEntry } from '#build/server-entry.ts';
import { THEME_SCRIPT_HASH } from '#lib/content/theme-script.ts';

/**
 * Canonical URLs, Open Graph URLs and the sitemap are written into prerendered pages at build
 * time, so they need the public URL then: SITE_URL from the build environment, else localhost.
 * (The server itself reads SITE_URL again at runtime for magic links.) Build with the same
 * SITE_URL you deploy with. This is the one variable read outside src/lib/config: the runtime
 * configuration module would also demand the server's secrets, which a build must not need.
 */
const BUILD_SITE = (process.env.SITE_URL || 'http://localhost:4321').replace(/\/+$/, '');

/**
 * The docs' "Edit page" links open the page's source in the repository named by package.json's
 * `repository` field (one place to change in a fork; npm shows the same link). Without the field,
 * the docs have no edit links rather than broken ones.
 */
const REPOSITORY = (await import('./package.json', { with: { type: 'json' } })).default.repository;
const REPOSITORY_URL = (typeof REPOSITORY === 'string' ? REPOSITORY : REPOSITORY?.url)
  ?.replace(/^git\+/, '')
  .replace(/\.git$/, '');
const REPOSITORY_EDIT_URL = REPOSITORY_URL ? `${REPOSITORY_URL}/edit/main/` : undefined;

export default defineConfig({
  site: BUILD_SITE,
  // Astro's cache (the content layer's data store) defaults to node_modules/.astro; worktrees that
  // share one node_modules then read each other's collections (a build here once came out with
  // an empty changelog). Per checkout instead; .astro/ is ignored by git.
  cacheDir: './.astro/cache',
  output: 'server',
  // One URL per page, without a trailing slash (the sitemap and canonical links agree; Starlight
  // writes its sidebar, pager and canonical links from this). /a/ is redirected to /a.
  trailingSlash: 'never',
  adapter: node({ mode: 'middleware' }),
  // We serve Auth.js from our own route (src/pages/api/auth/[...auth].ts) so that its URLs are
  // built from SITE_URL at runtime instead of the request's Host header.
  // precompress stays last: it compresses what the others wrote (the sitemap included).
  integrations: [
    // JSX for the React components. The one React island, the todo list, is rendered and hydrated
    // by src/todos/TodoIsland.astro itself, not through Astro's island wrapper (ADR 0010).
    react(),
    auth({ injectEndpoints: false }),
    // The docs: src/content/docs/docs/*.md at /docs/<slug>, prerendered, with Pagefind search,
    // Expressive Code, a theme picker, and the site's account menu in the header.
    starlight({
      title: 'Astro Todos',
      // Our own 404 page (src/pages/404.astro) answers every unknown address, /docs/* included.
      disable404Route: true,
      customCss: ['./src/styles/tokens.css', './src/styles/docs.css'],
      favicon: '/favicon.svg',
      // Where the sources live: "Edit page" opens src/content/docs/docs/<slug>.md there.
      editLink: REPOSITORY_EDIT_URL ? { baseUrl: REPOSITORY_EDIT_URL } : {},
      sidebar: [{ autogenerate: { directory: 'docs' } }],
      components: {
        Head: './src/components/docs/Head.astro',
        Header: './src/components/docs/Header.astro',
        Search: './src/components/docs/Search.astro',
      },
    }),
    // Code in the docs is coloured by Expressive Code (Starlight; its style attributes are hashed
    // into the policy at build time by cspInlineHashes); elsewhere code blocks stay plain.
    expressiveCodeDocsOnly(),
    mdx(),
    sitemap({
      filter: (page) => !/\/(signin|signout|todos|dev)(\/|$)/.test(new URL(page).pathname),
      // One URL per page, the same as its canonical link: no trailing slash (except the root).
      serialize: (item) => {
        const url = new URL(item.url);
        if (url.pathname !== '/') url.pathname = url.pathname.replace(/\/+$/, '');
        return { ...item, url: url.href };
      },
    }),
    imageEndpointOff(),
    // astro dev: local mode's links follow the port served; one process owns the data directory.
    localDevServer(),
    // Hashes what Astro's policy leaves out (Starlight's is:inline scripts, Expressive Code's
    // style attributes); before precompress so the compressed copies carry the final policy.
    cspInlineHashes(),
    // The production server (src/server/index.ts) compiled to dist/server/serve.mjs.
    serverEntry(),
    precompress(),
  ],
  server: { port: 4321 },
  // Starlight turns on prefetching of every link unless told otherwise: that would add a script
  // to every page of the site, which ships none but the island loader.
  prefetch: false,
  // Shiki would colour code with inline styles; the docs' code is Expressive Code's (above), and
  // code on the site's own pages stays plain text.
  markdown: { syntaxHighlight: false },
  // The sitemap integration writes sitemap-index.xml; crawlers that guess /sitemap.xml find it too.
  redirects: { '/sitemap.xml': '/sitemap-index.xml' },
  // src/middleware.ts refuses cross-origin writes for every content type (JSON included) against
  // the configured SITE_URL; Astro's own check covers forms only and trusts the Host header.
  security: {
    checkOrigin: false,
    // Astro hashes every script and style it emits into a per-page policy (a <meta> element);
    // nothing else may run or load. frame-ancestors can't be set by <meta>: it is a response header
    // on every response (src/lib/http/security-headers.ts).
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
        "frame-src 'self'",
      ],
      // The inline theme script in <head> (src/lib/content/theme-script.ts): Astro doesn't hash
      // `is:inline` scripts itself.
      scriptDirective: { hashes: [THEME_SCRIPT_HASH] },
    },
  },
  vite: {
    // Astro's per-request getters, CSP digests and server-island decryptions made once (ADR 0012);
    // clientBoundary: the build fails if an island's bundle pulls in server-only code.
    plugins: [
      authAstroWithoutBuildEnv(),
      astroRequestAccessors(),
      astroCspDigestsOnce(),
      astroIslandDecryptOnce(),
      clientBoundary(),
    ],
    build: {
      rolldownOptions: {
        // Astro marks MDX content modules with its own "use astro:head-inject" directive, which the
        // bundler warns it may drop; Astro reads it before bundling, so the warning (on every
        // build) says nothing to act on. Every other warning still shows.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
    ssr: {
      // PGlite loads its WebAssembly and data files relative to its own module: keep it in node_modules.
      external: ['@electric-sql/pglite'],
    },
  },
});
