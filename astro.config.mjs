// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import auth from 'auth-astro';

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

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  // We serve Auth.js from our own route (src/pages/api/auth/[...auth].ts) so that its URLs are
  // built from SITE_URL at runtime instead of the request's Host header.
  integrations: [react(), auth({ injectEndpoints: false })],
  server: { port: 4321 },
  // src/middleware.ts refuses cross-origin writes for every content type (JSON included) against
  // the configured SITE_URL; Astro's own check covers forms only and trusts the Host header.
  security: { checkOrigin: false },
  vite: {
    plugins: [authAstroWithoutBuildEnv()],
    ssr: {
      // PGlite loads its WebAssembly and data files relative to its own module: keep it in node_modules.
      external: ['@electric-sql/pglite'],
    },
  },
});
