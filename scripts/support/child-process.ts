/**
 * Child processes for the tests and the bench/Lighthouse scripts: start one, wait until it says
 * it is ready (or fail with its output), stop it. `startNode` sends output to a file, not a pipe:
 * a pipe would keep the parent, which runs the load generator, busy with every request's log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './ports.ts';
import { SERVER_ENTRY } from './server-runtime.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface WaitOptions {
  /** What is being waited for, for the error message. */
  what: string;
  /** The child's output so far, shown when it exits early or never gets ready. */
  output: () => string;
  timeoutMs?: number;
}

/**
 * Polls `ready` every 50 ms until it is true; throws (and kills the child) if the child exits
 * first or the time runs out.
 */
export async function waitUntilReady(
  child: ChildProcess,
  ready: () => boolean | Promise<boolean>,
  { what, output, timeoutMs = 60_000 }: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${output()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `node <args>` in the project root and waits until its output matches `ready`. */
export async function startNode(
  logFile: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<ChildProcess> {
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const output = () => readFileSync(logFile, 'utf8').slice(-3000);
  await waitUntilReady(child, () => ready.test(readFileSync(logFile, 'utf8')), {
    what: `node ${args.join(' ').slice(0, 80)}`,
    output,
  });
  return child;
}

/** Exits with a hint when there is no production build to start (`npm run build` makes one). */
export function exitWithoutBuild(tool: string, builtBy?: string): void {
  if (existsSync(path.join(ROOT, SERVER_ENTRY))) return;
  console.error(
    `[${tool}] no production build in dist/: run \`npm run build\` first${builtBy ? ` (${builtBy} does)` : ''}.`,
  );
  process.exit(1);
}

/**
 * The production build in local mode (as `npm start` serves it) on a free loopback port, with its
 * data and log in `workDir`: for scripts that only look at pages (Lighthouse, screenshots).
 */
export async function startLocalBuild(workDir: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = await startNode(
    path.join(workDir, 'server.log'),
    [SERVER_ENTRY],
    { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(workDir, 'data') },
    /listening on/,
  );
  return { child, port };
}

/** Stops a child with SIGTERM and waits until it has exited (so profiles and logs are complete). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
