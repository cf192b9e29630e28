/**
 * The "Project structure" tree in README.md is the map a newcomer starts from: it may not name
 * anything that doesn't exist, and it must name every folder under src/ (the route tree under
 * src/pages/ is described by its URLs instead) and every file of the code folders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Folders whose every file the tree must name (README.md files aside). */
const CODE_FOLDERS = ['src/server', 'src/build', 'src/todos', 'src/lib'];
/** Lines indented this far continue the description of the line above. */
const CONTINUATION_INDENT = 20;

/** The paths the README's tree names: `dir/` nests the lines indented two more spaces below it. */
function pathsInTree(block: string): string[] {
  const paths: string[] = [];
  const parents: string[] = []; // parents[depth] = directory path at that depth
  for (const line of block.split('\n')) {
    const match = /^( *)([^\s,]+(?:, [^\s,]+)*)(?: {2,}.*)?$/.exec(line);
    if (!match || match[1]!.length >= CONTINUATION_INDENT) continue;
    const depth = match[1]!.length / 2;
    if (!Number.isInteger(depth) || depth > parents.length) throw new Error(`bad indentation in the tree: ${line}`);
    parents.length = depth;
    const names = match[2]!.split(', ');
    for (const name of names) paths.push((parents[depth - 1] ?? '') + name);
    if (names.length === 1 && names[0]!.endsWith('/')) parents[depth] = (parents[depth - 1] ?? '') + names[0]!;
  }
  return paths;
}

function readmeTree(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Project structure$/m)[1]?.split(/^## /m)[0];
  const block = section?.match(/^```\n([\s\S]*?)^```$/m)?.[1];
  if (!block) throw new Error('README.md has no code block under "## Project structure"');
  return block;
}

function foldersUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const folder = `${dir}/${entry.name}`;
      return folder === 'src/pages' ? [folder] : [folder, ...foldersUnder(folder)];
    });
}

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(full);
    return entry.name === 'README.md' ? [] : [full];
  });
}

describe('the README tree parser', () => {
  it('nests by indentation, splits lists, skips continuation lines', () => {
    const block = [
      'top.ts                    a file',
      'src/                      a folder',
      '  a/                      nested',
      '    x.ts, y.ts            two files',
      '                          a continuation line/ with a slash',
      '  b.ts',
      'tests/unit/               two levels at once',
    ].join('\n');
    expect(pathsInTree(block)).toEqual([
      'top.ts',
      'src/',
      'src/a/',
      'src/a/x.ts',
      'src/a/y.ts',
      'src/b.ts',
      'tests/unit/',
    ]);
  });
});

describe('README.md "Project structure"', () => {
  const named = pathsInTree(readmeTree());
  const namedSet = new Set(named.map((name) => name.replace(/\/$/, '')));

  it('names only paths that exist', () => {
    expect(named.filter((name) => !existsSync(path.join(ROOT, name)))).toEqual([]);
  });

  it('names every folder under src/', () => {
    expect(foldersUnder('src').filter((folder) => !namedSet.has(folder))).toEqual([]);
  });

  it('names every file of the code folders', () => {
    const files = CODE_FOLDERS.flatMap(filesUnder);
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => !namedSet.has(file))).toEqual([]);
  });

  it('gives every code folder a README.md', () => {
    const codeFolders = CODE_FOLDERS.flatMap((dir) => [dir, ...foldersUnder(dir)]);
    expect(codeFolders.filter((folder) => !existsSync(path.join(ROOT, folder, 'README.md')))).toEqual([]);
  });
});
