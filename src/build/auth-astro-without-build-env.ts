/**
 * auth-astro reads AUTH_SECRET through `import.meta.env`, which Astro 6+ inlines at build time: a
 * secret in the build environment (or a .env file) would be written into dist/. We pass `secret`
 * and `trustHost` at runtime (auth.config.ts), so its env reads are replaced with an empty object.
 * tests/http/mail-and-config.test.ts builds with canary secrets and checks dist/ for them.
 */
import type { Plugin } from 'vite';

export function authAstroWithoutBuildEnv(): Plugin {
  return {
    name: 'auth-astro-without-build-env',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]auth-astro[\\/]server\.ts$/.test(id)) return null;
      return { code: code.replaceAll('import.meta.env', '({})'), map: null };
    },
  };
}
