/**
 * Fails the build (and `astro dev`) when browser code imports server-only code: a module the CLIENT
 * environment (the islands' bundles) loads may not be a `*.server.ts` file, anything under
 * `src/server/` or `src/build/`, auth.config.ts, or zod (validation runs on the server; the island
 * uses src/todos/model.ts). Without it, one stray import would ship server code, and possibly
 * secrets' names and SQL, to every visitor, and the build would still pass.
 *
 * How it tells client from server: Vite 6+ runs every plugin hook once per environment, and
 * `this.environment.name` is `client` for the browser bundles (Astro's server build and prerender
 * use `ssr` / `prerender`). Each import the client environment resolves is resolved here first
 * (`this.resolve`, skipping this plugin), checked, and remembered with its importer so the error
 * can show the chain from the island down to the offending module.
 */
import path from 'node:path';
import type { Plugin } from 'vite';

/** Why `id` (a resolved module id) may not be in a browser bundle; undefined when it may. */
export function clientBoundaryViolation(id: string, root: string): string | undefined {
  // Virtual modules (`\0…`, `virtual:…`) are the plugins' own business.
  if (id.startsWith('\0') || id.startsWith('virtual:')) return undefined;
  const file = id.split('?')[0]!.replaceAll('\\', '/');
  if (/\/node_modules\/(zod|\.vite\/deps\/zod)([/._]|$)/.test(file)) {
    return 'zod, which stays on the server (the browser uses src/todos/model.ts)';
  }
  if (file.includes('/node_modules/')) return undefined;
  const relative = path.posix.relative(root.replaceAll('\\', '/'), file);
  if (relative.startsWith('..') || path.posix.isAbsolute(relative)) return undefined;
  if (relative.startsWith('src/server/')) return 'part of the Node server (src/server/)';
  if (relative.startsWith('src/build/')) return 'build-time code (src/build/)';
  if (relative === 'auth.config.ts') return "Auth.js's configuration (server only)";
  if (/\.server\.[cm]?[jt]sx?$/.test(relative)) return 'a server-only module (*.server.ts)';
  return undefined;
}

/** `a → b → c` from the first importer recorded for each module, shown relative to `root`. */
function importChain(id: string, importerOf: Map<string, string>, root: string): string {
  const chain = [id];
  for (
    let current = importerOf.get(id);
    current !== undefined && chain.length < 20;
    current = importerOf.get(current)
  ) {
    if (chain.includes(current)) break;
    chain.unshift(current);
  }
  return chain.map((module) => path.relative(root, module.split('?')[0]!)).join(' → ');
}

export function clientBoundary(): Plugin {
  let root = process.cwd();
  /** Resolved id → the module that first imported it (client environment only). */
  const importerOf = new Map<string, string>();
  return {
    name: 'client-boundary',
    enforce: 'pre',
    configResolved(config) {
      root = config.root;
    },
    async resolveId(source, importer, options) {
      const isClient = this.environment ? this.environment.name === 'client' : options.ssr === false;
      if (!isClient || importer === undefined) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external) return resolved;
      if (!importerOf.has(resolved.id)) importerOf.set(resolved.id, importer);
      const reason = clientBoundaryViolation(resolved.id, root);
      if (reason) {
        this.error(
          `[client-boundary] browser code imports ${path.relative(root, resolved.id.split('?')[0]!)}: ${reason}.\n` +
            `  Import chain: ${importChain(resolved.id, importerOf, root)}\n` +
            '  Move what the browser needs into a module without the .server suffix that imports nothing server-only.',
        );
      }
      return resolved;
    },
  };
}
