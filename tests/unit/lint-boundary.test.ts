/**
 * The island's import boundary as ESLint states it (eslint.config.js, `no-restricted-imports`):
 * browser code under src/todos may not import server-only code, zod or Node built-ins; server
 * modules next to it may. The build checks the bundle itself (client-boundary.test.ts).
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
