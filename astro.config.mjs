// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import auth from 'auth-astro';

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
    define: {
      // auth-astro reads these through import.meta.env, which Astro inlines at build time: a
      // secret in the build environment (or a .env file) would end up in dist/. We pass the secret
      // at runtime instead (auth.config.ts), so neutralize these reads.
      'import.meta.env.AUTH_SECRET': 'undefined',
      'import.meta.env.AUTH_TRUST_HOST': 'undefined',
    },
    ssr: {
      // PGlite loads its WebAssembly and data files relative to its own module: keep it in node_modules.
      external: ['@electric-sql/pglite'],
    },
  },
});
