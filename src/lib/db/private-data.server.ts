/**
 * Local mode's data directory (DATA_DIR: the generated secret, PGlite's files, whose WAL holds
 * live session rows) belongs to its owner only: directories 700, files 600, like Postgres itself
 * insists on for its data directory.
 *
 * Why PGlite needs help: it runs Postgres in WebAssembly on Emscripten's NODEFS. Emscripten's
 * `FS.open` creates a file and then `FS.chmod`s it to the mode Postgres asked for, minus
 * Emscripten's own simulated umask (not the process's); chmod ignores the process umask, so the
 * files came out 666 (world-writable) whatever the umask. `privatePgliteFs` masks group and other
 * bits in Emscripten's `mknod` and `chmod`, which covers every file and directory PGlite creates
 * (WAL segments, new relations), and `makeTreePrivate` repairs directories older versions left loose.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { PGliteOptions } from '@electric-sql/pglite';

const GROUP_AND_OTHER = 0o077;

/** Creates `dir` (and missing parents) for the owner only, and makes an existing one so. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Takes group and other permissions off `dir` and everything under it (symlinks are left alone). */
export function makeTreePrivate(dir: string): void {
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) return;
  if (stat.mode & GROUP_AND_OTHER) chmodSync(dir, stat.mode & 0o700);
  if (stat.isDirectory()) for (const name of readdirSync(dir)) makeTreePrivate(path.join(dir, name));
}

interface EmscriptenFs {
  mknod(path: string, mode: number, dev: number): unknown;
  chmod(path: unknown, mode: number, dontFollow?: boolean): void;
}

/** PGlite's Node filesystem on `dataDir`, creating everything without group or other permissions. */
export async function privatePgliteFs(dataDir: string): Promise<NonNullable<PGliteOptions['fs']>> {
  const { NodeFS } = await import('@electric-sql/pglite/nodefs');
  type Init = InstanceType<typeof NodeFS>['init'];
  class PrivateNodeFS extends NodeFS {
    override async init(pg: Parameters<Init>[0], options: Parameters<Init>[1]): ReturnType<Init> {
      const result = await super.init(pg, options);
      const preRun = result.emscriptenOpts.preRun ?? [];
      result.emscriptenOpts.preRun = [...preRun, (module: { FS: EmscriptenFs }) => maskModes(module.FS)];
      return result;
    }
  }
  return new PrivateNodeFS(dataDir);
}

/** Emscripten's FS calls its own `mknod`/`chmod` through this object, so wrapping them covers every path. */
function maskModes(fs: EmscriptenFs): void {
  const { mknod, chmod } = fs;
  fs.mknod = (target, mode, dev) => mknod.call(fs, target, mode & ~GROUP_AND_OTHER, dev);
  fs.chmod = (target, mode, dontFollow) => chmod.call(fs, target, mode & ~GROUP_AND_OTHER, dontFollow);
}
