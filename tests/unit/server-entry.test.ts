/**
 * The compiled production server (src/build/server-entry.ts) runs in the Docker image beside
 * production dependencies only, without Node's TypeScript support: it may load nothing but Node's
 * own modules, the packages in `dependencies`, and Astro's bundle from the build it belongs to.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileServerEntry } from '#build/server-entry.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** `lodash/fp` → `lodash`, `@scope/name/sub` → `@scope/name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('the compiled production server', () => {
  let dir: string;
  let code: string;
  let specifiers: string[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'server-entry-'));
    const outfile = path.join(dir, 'serve.mjs');
    await compileServerEntry(path.join(ROOT, 'src/server/index.ts'), outfile);
    code = readFileSync(outfile, 'utf8');
    specifiers = [
      ...code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm),
      ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
      ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((match) => match[1]!);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one file: our modules are inside it, none is loaded as TypeScript', () => {
    expect(specifiers.length).toBeGreaterThan(10);
    expect(specifiers.filter((specifier) => /\.[cm]?tsx?$/.test(specifier) || specifier.startsWith('#'))).toEqual([]);
    // The database layer's lazily loaded WebSocket is in the file too, not a relative import.
    expect(specifiers.filter((specifier) => specifier.startsWith('.'))).toEqual([]);
    expect(code).toMatch(/CoalescingWebSocket = class extends WebSocket/);
  });

  it('imports only Node built-ins and production dependencies', () => {
    const outside = specifiers
      .filter((specifier) => !specifier.startsWith('node:') && !builtinModules.includes(specifier))
      .map(packageName)
      .filter((name) => !(name in pkg.dependencies));
    expect(outside).toEqual([]);
  });

  it("loads Astro's bundle from the build directory it runs in (or DIST_DIR)", () => {
    expect(code).toContain('new URL("../", import.meta.url)');
    expect(code).toContain('new URL("server/entry.mjs", distDir)');
  });
});
