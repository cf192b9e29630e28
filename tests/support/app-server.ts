/**
 * Starts the production build (`node dist/server/serve.mjs`, as `npm start` does after building)
 * as a child process on a free loopback port, with exactly the environment a test gives it.
 *
 * With Node's TypeScript support switched off: the compiled server must not load a `.ts` file at
 * run time (that would bring the type stripper back, 17 MiB; src/build/server-entry.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, waitUntilReady } from '#scripts/support/child-process.ts';
import { freePort } from '#scripts/support/ports.ts';
import { SERVER_ENTRY } from '#scripts/support/server-runtime.ts';

const COMPILED_SERVER = ['--no-experimental-strip-types', SERVER_ENTRY];

export interface AppServer {
  url: string;
  port: number;
  /** The server process (its memory is read from /proc by the memory test). */
  pid: number;
  /** Everything the server printed so far (stdout and stderr). */
  logs(): string;
  /** Sends a signal (graceful-shutdown tests) and resolves with the exit code. */
  signal(name: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
}

/** Variables from the test runner's own environment that the app server may inherit. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];

export interface StartOptions {
  env?: Record<string, string>;
  /** Picks the port before start, so SITE_URL can name it. */
  port?: number;
  /** Node flags before the entry (production's memory flags: scripts/support/server-runtime.ts). */
  nodeArgs?: string[];
}

export async function startAppServer(options: StartOptions = {}): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'app-data-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
  for (const name of INHERITED) if (process.env[name]) env[name] = process.env[name];
  Object.assign(env, options.env);

  const args = [...(options.nodeArgs ?? []), ...COMPILED_SERVER];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  await waitUntilReady(child, () => output.includes('[server] listening on'), {
    what: 'App server',
    output: () => output,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    logs: () => output,
    signal(name) {
      if (child.exitCode === null) child.kill(name);
      return exited;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the server entry (or `args`: another entry with its Node flags) and returns how it exited,
 * for configurations that must refuse to start.
 */
export async function runAppServerExpectingExit(
  env: Record<string, string>,
  args: string[] = COMPILED_SERVER,
): Promise<{ code: number | null; output: string }> {
  const base: Record<string, string> = {};
  for (const name of INHERITED) if (process.env[name]) base[name] = process.env[name];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, output };
}
