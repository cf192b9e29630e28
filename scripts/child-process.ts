/**
 * Long-running Node children for the bench and Lighthouse scripts (the app server, the bare
 * server, the WebSocket proxy). Output goes to a file, not a pipe: a pipe would keep the parent,
 * which runs the load generator, busy with every request's log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Starts `node <args>` in the project root and waits until its output matches `ready`. */
export async function startNode(logFile: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  while (!ready.test(readFileSync(logFile, 'utf8'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node ${args.join(' ').slice(0, 80)} did not start:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** Stops a child with SIGTERM and waits until it has exited (so profiles and logs are complete). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
