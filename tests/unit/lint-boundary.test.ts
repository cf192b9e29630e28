/**
 * Rules ESLint enforces for this codebase (eslint.config.js):
 * - the island's import boundary (`no-restricted-imports`): browser code under src/todos may not
 *   import server-only code, zod or Node built-ins; server modules next to it may. The build checks
 *   the bundle itself (client-boundary.test.ts);
 * - no getters or setters in object literals made inside functions of server code
 *   (`no-restricted-syntax`): V8 allocates their accessor pairs in the old generation, so one made
 *   per request keeps that request alive until a full collection (README → Memory).
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/** The restricted-import messages ESLint reports for `source` imported from `file`. */
async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as probe from '${source}';\nexport { probe };\n`, {
    filePath: path.join(ROOT, file),
  });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('browser import boundary (lint)', () => {
  it.each([
    ['src/todos/store.ts', '#lib/db/index.server.ts'],
    ['src/todos/TodoApp.tsx', './schema.server.ts'],
    ['src/todos/useTodos.ts', '#server/serving.ts'],
    ['src/todos/client.ts', '../server/serving.ts'],
    ['src/todos/model.ts', '#build/precompress.ts'],
    ['src/todos/TodoRow.tsx', '#auth-config'],
    ['src/todos/store.ts', 'zod'],
    ['src/todos/store.ts', 'zod/mini'],
    ['src/todos/client.ts', 'node:crypto'],
  ])('%s may not import %s', async (file, source) => {
    expect(await boundaryErrors(file, source)).toHaveLength(1);
  });

  it.each([
    ['src/todos/store.ts', './model.ts'],
    ['src/todos/TodoApp.tsx', 'react'],
    ['src/todos/store.ts', '#lib/auth/redirects.ts'],
    ['src/todos/queries.server.ts', 'zod'],
    ['src/todos/forms.server.ts', '#lib/db/index.server.ts'],
    ['src/lib/db/neon.server.ts', 'node:crypto'],
  ])('%s may import %s', async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });
});

/** The per-call accessor messages ESLint reports for `code` in `file`. */
async function accessorErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('no per-call accessor objects in server code (lint)', () => {
  const perCall = [
    'export function owner(token: string) {\n  let seen = false;\n  return { token, get seen() { return seen; } };\n}\n',
    'export const make = (value: number) => ({ set value(v: number) { value = v; } });\n',
  ];
  it.each([
    ['src/lib/auth/session-owner.server.ts', perCall[0]!],
    ['src/server/serving.ts', perCall[1]!],
    ['src/middleware.ts', perCall[0]!],
  ])('%s may not make one per call', async (file, code) => {
    expect(await accessorErrors(file, code)).toHaveLength(1);
  });

  it.each([
    // Made once, at module load: not per request.
    ['src/lib/db/index.server.ts', 'export const db = { get kind() { return 1; } };\n'],
    // Prototype getters are made once per class.
    ['src/server/serving.ts', 'export class Owner {\n  #seen = false;\n  get seen() { return this.#seen; }\n}\n'],
    // Browser code is not the server's memory.
    ['src/todos/store.ts', perCall[0]!],
  ])('%s may', async (file, code) => {
    expect(await accessorErrors(file, code)).toEqual([]);
  });
});
