/**
 * Traps a new developer fell into by following the README (issue #11): the Node version it names,
 * package.json's engines and the Dockerfile agree, and no command it shows needs a newer Node than
 * it asks for (`node scripts/<x>.ts` fails on Node 20: ERR_UNKNOWN_FILE_EXTENSION .ts). Also:
 * the build prints no warning nobody can act on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const readme = read('README.md');

/** A README section by heading (`## Name` or `### Name`), up to the next heading of its level or above. */
function section(heading: string): string {
  const level = heading.match(/^#+/)![0].length;
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}"`);
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** What a newcomer reads and runs: the README sections that show commands, and the docs pages. */
const GUIDES: Array<[string, string]> = [
  ['README Quick start', section('## Quick start')],
  ['README Configuration', section('## Configuration')],
  ['README Deploying', section('## Deploying')],
  ['README Startup and shutdown', section('### Startup and shutdown')],
  ['README Admin commands', section('### Admin commands')],
  ['docs/getting-started.md', read('src/content/docs/docs/getting-started.md')],
  ['docs/configuration.md', read('src/content/docs/docs/configuration.md')],
];

const major = (range: string) => Number(/(\d+)/.exec(range)![1]);

describe('the Node version a newcomer needs', () => {
  const named = /Node\.js (\d+) or newer/.exec(section('## Quick start'))?.[1];

  it('README names one minimum, and package.json engines says the same', () => {
    expect(named).toBeDefined();
    expect(pkg.engines.node).toBe(`>=${named}`);
    expect(read('src/content/docs/docs/getting-started.md')).toContain(`Node.js ${named} or newer`);
  });

  it('the Node the scripts run on (the node dev dependency) is the Dockerfile image', () => {
    const image = /ARG NODE_IMAGE=node:(\d+)/.exec(read('Dockerfile'))?.[1];
    expect(Number(image)).toBe(major(pkg.devDependencies.node!));
  });

  it('explains the install warnings it cannot avoid, in the Quick start', () => {
    expect(section('## Quick start')).toMatch(/EBADENGINE[^\n]*\n?[^\n]*harmless/);
  });

  it.each(GUIDES)('%s shows no command that runs a .ts file on the machine’s own node', (_name, text) => {
    const inline = [...text.matchAll(/`(node [^`]*)`/g)].map((m) => m[1]!);
    const blocks = [...text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
    const direct = [...inline, ...blocks].filter((command) => /(^|&&|;|\s)node\s+\S+\.ts\b/.test(command));
    expect(direct).toEqual([]);
  });
});

describe('a quiet build', () => {
  it('drops the bundler warning about Astro’s own MDX directive, and only that one', async () => {
    const config = (await import('../../astro.config.mjs')).default as {
      vite: {
        build: {
          rolldownOptions: { onwarn: (warning: { code: string; message: string }, warn: (w: unknown) => void) => void };
        };
      };
    };
    const onwarn = config.vite?.build?.rolldownOptions?.onwarn;
    expect(onwarn).toBeTypeOf('function');
    const shown: unknown[] = [];
    const directive = {
      code: 'MODULE_LEVEL_DIRECTIVE',
      message:
        'The semantics of the module level directive "use astro:head-inject" in "src/content/pages/home.mdx?astroPropagatedAssets" may not be preserved when bundling.',
    };
    const other = {
      code: 'MODULE_LEVEL_DIRECTIVE',
      message: 'Module level directives cause errors when bundled, "use client" in "x.tsx" was ignored.',
    };
    onwarn(directive, (w) => shown.push(w));
    onwarn(other, (w) => shown.push(w));
    expect(shown).toEqual([other]);
  });
});
