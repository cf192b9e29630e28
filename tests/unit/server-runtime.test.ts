/**
 * Issue #16: the memory settings the production server is measured with (the bench, the 256 MiB
 * test: scripts/support/server-runtime.ts) are the ones it is started with: package.json's
 * start/serve scripts and the Dockerfile's runtime stage (its heap flags and its allocator).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JEMALLOC_ENV, JEMALLOC_PRELOAD, SERVER_ENTRY, SERVER_NODE_FLAGS } from '#scripts/support/server-runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const dockerfile = read('Dockerfile');
/** From the comment above the Dockerfile's last stage to its end: what the image runs. */
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\n# 4.'));
/** The runtime stage without its comments. */
const instructions = runtime
  .split('\n')
  .filter((line) => !line.trimStart().startsWith('#'))
  .join('\n');
/** The runtime stage's ENV instruction as name → value (values without quotes). */
const imageEnv = Object.fromEntries(
  [...(/^ENV ((?:.*\\\n)*.*)$/m.exec(instructions)?.[1] ?? '').matchAll(/([A-Z_]+)=("[^"]*"|\S+)/g)].map(
    ([, name, value]) => [name!, value!.replace(/^"|"$/g, '')],
  ),
);

describe('the server starts with the memory settings it is measured with', () => {
  it.each(['serve', 'start'])('npm run %s runs the compiled server with them', (name) => {
    expect(scripts[name]).toMatch(new RegExp(`(^|&& )node (.+) ${SERVER_ENTRY}$`));
    expect(new RegExp(`node (.+) ${SERVER_ENTRY}$`).exec(scripts[name]!)?.[1]?.split(' ')).toEqual(SERVER_NODE_FLAGS);
  });

  it('the Docker image runs the compiled server, not TypeScript', () => {
    expect(instructions).toContain(`CMD ["node", "${SERVER_ENTRY}"]`);
    expect(instructions).not.toMatch(/\.ts\b/);
  });

  it('the Docker image, as NODE_OPTIONS (an operator can override it with docker run -e)', () => {
    expect(imageEnv.NODE_OPTIONS?.split(' ')).toEqual(SERVER_NODE_FLAGS);
  });

  it('the Docker image installs jemalloc, links it where LD_PRELOAD looks and preloads it', () => {
    expect(instructions).toMatch(/apt-get install -y --no-install-recommends libjemalloc2\b/);
    expect(instructions).toContain(`ln -s "/usr/lib/$(uname -m)-linux-gnu/libjemalloc.so.2" ${JEMALLOC_PRELOAD}`);
    for (const [name, value] of Object.entries(JEMALLOC_ENV)) expect(imageEnv[name], name).toBe(value);
  });
});
