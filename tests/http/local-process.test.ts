/**
 * Local mode as a developer runs it: one process owns the data directory (PGlite is
 * single-process; two would silently lose each other's writes), and the site URL follows the port
 * actually served, under `npm start` and under `npm run dev`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAppServerExpectingExit, startAppServer, type AppServer } from '../support/app-server.ts';
import { HttpClient } from '../support/http-client.ts';
import { freePort } from '#scripts/support/ports.ts';
import { SERVER_ENTRY } from '#scripts/support/server-runtime.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

const dataDir = tempDirs('local-process-');

function admin(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/admin.ts', ...args],
      { cwd: ROOT, env: { ...BASE_ENV, DATA_DIR: dir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** `astro dev` on `port` (what `npm run dev -- --port N` runs); resolves once it serves. */
async function startDev(
  env: Record<string, string>,
  port: number,
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/astro'), ['dev', '--port', String(port)], {
    cwd: ROOT,
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

async function until(ready: () => boolean, what: () => string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; output:\n${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}

const REFUSAL = /Another process is using the local data directory [^\n]*: pid \d+ \(([^)]*)\)/;

describe('one process owns the local data directory', () => {
  let server: AppServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('a second server, the admin tool and a dev server refuse while a server runs, naming it; all work once it stops', async () => {
    const dir = dataDir();
    server = await startAppServer({ env: { DATA_DIR: dir } });

    const second = await runAppServerExpectingExit({
      ...BASE_ENV,
      DATA_DIR: dir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
    });
    expect(second.code).toBe(1);
    expect(second.output).toMatch(REFUSAL);
    expect(REFUSAL.exec(second.output)![1]).toContain(SERVER_ENTRY);
    expect(second.output).toContain('DATA_DIR=');

    const listing = await admin(dir, 'users');
    expect(listing.code).toBe(1);
    expect(listing.stderr).toMatch(REFUSAL);

    const dev = await startDev({ DATA_DIR: dir }, await freePort());
    const devCode = await Promise.race([
      dev.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 45_000)),
    ]);
    await stopChild(dev.child, dev.exited);
    expect(devCode).toBe(1);
    expect(dev.output()).toMatch(REFUSAL);

    await server.signal('SIGTERM');
    expect(await admin(dir, 'users')).toMatchObject({ code: 0, stdout: expect.stringContaining('0 users') });
  }, 120_000);

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = dataDir();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(
      path.join(dir, 'lock'),
      JSON.stringify({ pid: gone.pid, command: `node ${SERVER_ENTRY}`, since: '2026-01-01T00:00:00.000Z' }),
    );
    server = await startAppServer({ env: { DATA_DIR: dir } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('local mode links follow the port actually served', () => {
  it('npm start with PORT=0: the site URL and sign-in links name the port the server picked', async () => {
    const server = await startAppServer({ port: 0, env: { DATA_DIR: dataDir() } });
    try {
      const [, port, siteUrl] = /listening on http:\/\/localhost:(\d+) \(site URL ([^)]+)\)/.exec(server.logs())!;
      expect(siteUrl).toBe(`http://localhost:${port}`);
      const client = new HttpClient(`http://localhost:${port}`);
      expect((await client.requestSignIn('port.zero@example.com')).status).toBe(302);
      const [mail] = (await (
        await fetch(`http://localhost:${port}/dev/mailbox.json?to=port.zero%40example.com`)
      ).json()) as Array<{ url: string }>;
      expect(mail!.url.startsWith(`http://localhost:${port}/signin/confirm?`)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('npm run dev -- --port N: sign-in works there and its link points there (not to 4321); a server on the same data refuses', async () => {
    const dir = dataDir();
    const port = await freePort();
    const dev = await startDev({ DATA_DIR: dir }, port);
    try {
      await until(() => dev.output().includes(`localhost:${port}`) || dev.child.exitCode !== null, dev.output);
      const client = new HttpClient(`http://localhost:${port}`);
      const response = await client.requestSignIn('dev.port@example.com');
      expect(response.status, dev.output()).toBe(302);
      const [mail] = (await (
        await fetch(`http://localhost:${port}/dev/mailbox.json?to=dev.port%40example.com`)
      ).json()) as Array<{ url: string }>;
      expect(mail!.url.startsWith(`http://localhost:${port}/signin/confirm?`)).toBe(true);

      const prod = await runAppServerExpectingExit({
        ...BASE_ENV,
        DATA_DIR: dir,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      });
      expect(prod.code).toBe(1);
      expect(REFUSAL.exec(prod.output)?.[1]).toMatch(/astro/);
    } finally {
      await stopChild(dev.child, dev.exited);
    }
  }, 120_000);
});
