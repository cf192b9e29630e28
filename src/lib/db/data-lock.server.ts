/**
 * One process at a time owns local mode's data directory. PGlite is an embedded, single-process
 * Postgres: two processes on one directory (`npm start` and `npm run dev`, or `npm run admin`
 * while a server runs) each keep their own view in memory and overwrite each other's files, so
 * rows written through one silently disappear. The owner writes `<dataDir>/lock` with its pid and
 * command; a second process refuses to open the directory and names the first. A lock left by a
 * process that no longer exists (killed, crashed) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LockOwner {
  pid: number;
  command: string;
  since: string;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  readonly owner: LockOwner;
  constructor(dataDir: string, owner: LockOwner) {
    const dir = path.relative(process.cwd(), dataDir) || '.';
    super(
      `Another process is using the local data directory ${dataDir}: pid ${owner.pid} (${owner.command}), since ${owner.since}. ` +
        "The embedded database can only be open in one process at a time (two would lose each other's writes). " +
        `Stop that process first (npm start, npm run dev and npm run admin all use ${dir}), ` +
        `or give this one its own directory, e.g. DATA_DIR=${dir}-2. ` +
        `If no such process is running, delete ${path.join(dataDir, 'lock')}.`,
    );
    this.owner = owner;
  }
}

const HELD = Symbol.for('astro-neon-authjs.data-locks');
type GlobalWithLocks = typeof globalThis & { [HELD]?: Set<string> };

function lockFile(dataDir: string): string {
  return path.join(dataDir, 'lock');
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number'
      ? { pid: owner.pid, command: String(owner.command ?? '?'), since: String(owner.since ?? '?') }
      : undefined;
  } catch {
    return undefined; // missing, or cut short by a crash: nobody owns it
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, belongs to another user
  }
}

/** This process's command line, paths shown relative to the working directory. */
function commandLine(): string {
  return process.argv
    .slice(1)
    .map((arg) => (path.isAbsolute(arg) && arg.startsWith(process.cwd()) ? path.relative(process.cwd(), arg) : arg))
    .join(' ');
}

/**
 * Makes this process the owner of `dataDir` (which must exist), or throws DataDirLockedError
 * naming the owner. Calling it again in the owning process is a no-op; the lock goes when the
 * process exits.
 */
export function lockDataDir(dataDir: string): void {
  const held = ((globalThis as GlobalWithLocks)[HELD] ??= new Set());
  if (held.has(dataDir)) return;
  const file = lockFile(dataDir);
  const me: LockOwner = { pid: process.pid, command: commandLine(), since: new Date().toISOString() };
  // Two attempts: the second after removing a dead owner's lock. (Two processes taking over the
  // same stale lock in the same millisecond could both win; starting twice at once onto a crashed
  // run is the one case this does not cover.)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      held.add(dataDir);
      process.once('exit', () => releaseDataDir(dataDir));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    // Our own pid: a lock this process wrote through another copy of this module, or left by an
    // earlier container run whose PID 1 we now are.
    if (owner && owner.pid !== process.pid && isRunning(owner.pid)) throw new DataDirLockedError(dataDir, owner);
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DataDirLockedError(dataDir, readOwner(file) ?? { pid: 0, command: 'unknown', since: 'just now' });
}

/** Gives up ownership (at exit, or when the database closes). Leaves another owner's lock alone. */
export function releaseDataDir(dataDir: string): void {
  const held = (globalThis as GlobalWithLocks)[HELD];
  if (!held?.delete(dataDir)) return;
  const file = lockFile(dataDir);
  if (readOwner(file)?.pid !== process.pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
