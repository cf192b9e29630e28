/**
 * The build's client boundary (src/build/client-boundary.ts): which resolved modules may end up in
 * a browser bundle. The plugin itself is proven by a build that imports a server module from the
 * island and fails (see the issue #11 report); this pins the decision.
 */
import { describe, expect, it } from 'vitest';
import { clientBoundaryViolation } from '#build/client-boundary.ts';

const ROOT = '/app';

describe('clientBoundaryViolation', () => {
  it.each([
    // Browser-safe: the island, its model, React, Astro's client runtime, virtual modules.
    ['/app/src/todos/TodoApp.tsx', undefined],
    ['/app/src/todos/model.ts', undefined],
    ['/app/src/todos/store.ts?v=1234', undefined],
    ['/app/src/lib/auth/redirects.ts', undefined],
    ['/app/node_modules/react-dom/client.js', undefined],
    ['/app/node_modules/react-dom/server.browser.js', undefined],
    ['/app/node_modules/astro/dist/runtime/client/load.js', undefined],
    ['/app/node_modules/zodiac/index.js', undefined],
    ['\0astro:scripts/page.js', undefined],
    ['virtual:astro:assets', undefined],
    ['/elsewhere/src/server/index.ts', undefined],
    // Server only.
    ['/app/src/todos/schema.server.ts', 'server-only module'],
    ['/app/src/todos/queries.server.ts?import', 'server-only module'],
    ['/app/src/lib/db/index.server.ts', 'server-only module'],
    ['/app/src/lib/thing.server.tsx', 'server-only module'],
    ['/app/src/server/index.ts', 'Node server'],
    ['/app/src/server/island-cache.ts', 'Node server'],
    ['/app/src/build/precompress.ts', 'build-time'],
    ['/app/auth.config.ts', 'Auth.js'],
    ['/app/node_modules/zod/index.js', 'zod'],
    ['/app/node_modules/zod/v4/classic/external.js', 'zod'],
    ['/app/node_modules/.vite/deps/zod.js?v=abc', 'zod'],
    ['C:\\app\\src\\server\\serving.ts', 'Node server'],
  ])('%s → %s', (id, expected) => {
    const root = id.startsWith('C:') ? 'C:\\app' : ROOT;
    const reason = clientBoundaryViolation(id, root);
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toContain(expected);
  });
});
