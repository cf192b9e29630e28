/**
 * Build step: compiles the production server (src/server/index.ts and the src/lib modules it
 * imports) into one JavaScript file, `dist/server/serve.mjs`, beside Astro's own server bundle.
 * `npm start`, `npm run serve`, the Docker image, the tests and the bench all run that file.
 *
 * Why not `node src/server/index.ts`: Node strips TypeScript types with amaro, a WebAssembly build
 * of swc that stays loaded for the life of the process once the first `.ts` file is imported —
 * 17 MiB of resident memory (a one-line script: 41 MiB RSS as `.mjs`, 58 MiB as `.ts`), on a
 * server that has to fit a 256 MiB instance (issue #16; README → Memory). Packages stay
 * external (node_modules is installed beside the build); only our own modules are bundled.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { build } from 'esbuild';
import { SERVER_ENTRY } from '#scripts/support/server-runtime.ts';

/** Compiles `source` (the server's TypeScript entry) into `outfile`. */
export async function compileServerEntry(source: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // Dependencies load from node_modules as they do today; `#lib/*` imports (package.json's
    // "imports") are our code and get bundled.
    packages: 'external',
    // Not minified: a stack trace in the log names readable functions, and each module's code
    // starts with a comment naming its source file.
    logLevel: 'warning',
  });
}

export function serverEntry(): AstroIntegration {
  let root: URL;
  return {
    name: 'server-entry',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
      },
      'astro:build:done': async ({ logger }) => {
        const outfile = fileURLToPath(new URL(SERVER_ENTRY, root));
        await compileServerEntry(fileURLToPath(new URL('src/server/index.ts', root)), outfile);
        logger.info(`compiled the production server: ${SERVER_ENTRY}`);
      },
    },
  };
}
