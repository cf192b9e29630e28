/**
 * Issue #16: the memory settings the production server is measured with (the bench, the 256 MiB
 * test: scripts/support/server-runtime.ts) are the ones it is started with: package.json's
 * start/serve scripts and the Dockerfile's runtime stage, which also names the small-instance
 * settings the 256 MiB test runs with.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SERVER_ENTRY,
  SERVER_NODE_FLAGS,
  SMALL_INSTANCE_ENV,
  SMALL_INSTANCE_NODE_FLAGS,
} from '#scripts/support/server-runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const dockerfile = read('Dockerfile');
/** From the comment above the Dockerfile's last stage to its end: what the image runs. */
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\n# 4.'));

describe('the server starts with the memory settings it is measured with', () => {
  it.each(['serve', 'start'])('npm run %s runs the compiled server with them', (name) => {
    expect(scripts[name]).toMatch(new RegExp(`(^|&& )node (.+) ${SERVER_ENTRY}$`));
    expect(new RegExp(`node (.+) ${SERVER_ENTRY}$`).exec(scripts[name]!)?.[1]?.split(' ')).toEqual(SERVER_NODE_FLAGS);
  });

  it('the Docker image runs the compiled server, not TypeScript', () => {
    const instructions = runtime
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    expect(instructions).toContain(`CMD ["node", "${SERVER_ENTRY}"]`);
    expect(instructions).not.toMatch(/\.ts\b/);
  });

  it('the Docker image, as NODE_OPTIONS (an operator can override it with docker run -e)', () => {
    expect(/^ +NODE_OPTIONS="([^"]*)"/m.exec(runtime)?.[1]?.split(' ')).toEqual(SERVER_NODE_FLAGS);
  });

  it('the Dockerfile names the settings for a 256 MiB instance', () => {
    expect(runtime).toContain(`NODE_OPTIONS="${SMALL_INSTANCE_NODE_FLAGS.join(' ')}"`);
    for (const [name, value] of Object.entries(SMALL_INSTANCE_ENV)) expect(runtime).toContain(`${name}=${value}`);
  });
});
