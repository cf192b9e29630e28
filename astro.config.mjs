// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import auth from 'auth-astro';
import { precompress } from './src/lib/precompress.server.ts';

/**
 * Canonical URLs, Open Graph URLs and the sitemap are written into prerendered pages at build
 * time, so they need the public URL then: SITE_URL from the build environment, else localhost.
 * (The server itself reads SITE_URL again at runtime for magic links.) Build with the same
 * SITE_URL you deploy with.
 */
const BUILD_SITE = (process.env.SITE_URL || 'http://localhost:4321').replace(/\/+$/, '');

/**
 * auth-astro reads AUTH_SECRET through `import.meta.env`, which Astro 6+ inlines at build time: a
 * secret in the build environment (or a .env file) would be written into dist/. We pass `secret`
 * and `trustHost` at runtime (auth.config.ts), so its env reads are replaced with an empty object.
 * tests/http/mail-and-config.test.ts builds with canary secrets and checks dist/ for them.
 */
function authAstroWithoutBuildEnv() {
  return {
    name: 'auth-astro-without-build-env',
    enforce: /** @type {const} */ ('pre'),
    /** @param {string} code @param {string} id */
    transform(code, id) {
      if (!/[\\/]auth-astro[\\/]server\.ts$/.test(id)) return null;
      return { code: code.replaceAll('import.meta.env', '({})'), map: null };
    },
  };
}

/**
 * Every image the site shows is transformed at build time (prerendered pages), so the production
 * build's on-demand `/_image` endpoint only serves strangers' transforms (CPU per request): it is
 * replaced by one that answers 404. `astro dev` keeps Astro's endpoint, which serves every image there.
 */
function imageEndpointOff() {
  return {
    name: 'image-endpoint-off',
    hooks: {
      /** @param {{ command: string, updateConfig: (config: Record<string, unknown>) => unknown }} options */
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command === 'build') updateConfig({ image: { endpoint: { entrypoint: './src/lib/image-endpoint-off.server.ts' } } });
      },
    },
  };
}

export default defineConfig({
  site: BUILD_SITE,
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  // We serve Auth.js from our own route (src/pages/api/auth/[...auth].ts) so that its URLs are
  // built from SITE_URL at runtime instead of the request's Host header.
  // precompress stays last: it compresses what the others wrote (the sitemap included).
  integrations: [
    // renderToString instead of React's web-stream renderer: Astro waits for an island's whole
    // HTML anyway, and the stream plumbing made /todos (50 todos) 1.7x slower (105 -> 178 req/s).
    // @astrojs/react then renders without the island's useId prefix (the client hydrates with it,
    // and React doesn't report or repair attribute mismatches in production), so our components
    // take ids from their data instead of useId(); tests/http/todos-forms.test.ts checks the ids.
    react({ experimentalDisableStreaming: true }),
    auth({ injectEndpoints: false }),
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
    precompress(),
  ],
  server: { port: 4321 },
  // Shiki colours code with inline styles, which the Content-Security-Policy below forbids;
  // Prism uses classes (styled in global.css) instead.
  markdown: { syntaxHighlight: 'prism' },
  // The sitemap integration writes sitemap-index.xml; crawlers that guess /sitemap.xml find it too.
  redirects: { '/sitemap.xml': '/sitemap-index.xml' },
  // src/middleware.ts refuses cross-origin writes for every content type (JSON included) against
  // the configured SITE_URL; Astro's own check covers forms only and trusts the Host header.
  security: {
    checkOrigin: false,
    // Astro hashes every script and style it emits into a per-page policy (a <meta> element);
    // nothing else may run or load. frame-ancestors can't be set by <meta>: it is a response header
    // on every response (src/lib/security-headers.ts).
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
    },
  },
  vite: {
    plugins: [authAstroWithoutBuildEnv()],
    ssr: {
      // PGlite loads its WebAssembly and data files relative to its own module: keep it in node_modules.
      external: ['@electric-sql/pglite'],
    },
  },
});
