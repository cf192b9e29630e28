/**
 * What the production server says as it starts or refuses to: true statements about the schema,
 * and refusals that name the problem and the fix (no stack traces for an operator's mistake).
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runAppServerExpectingExit, startAppServer } from '../support/app-server.ts';
import { MIGRATIONS_DIR } from '../support/databases.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1' };
const REMOTE = {
  AUTH_SECRET: 'x'.repeat(40),
  SITE_URL: 'https://todos.example.com',
  RESEND_API_KEY: 're_test',
  EMAIL_FROM: 'Todos <login@example.com>',
};
const STACK = /\n\s+at /;

const tempDir = tempDirs('startup-');

describe('the server says truthfully what happened to the schema', () => {
  it('a new local database: "created"; the next start: "up to date", none pending', async () => {
    const dir = tempDir();
    const total = readdirSync(MIGRATIONS_DIR).length;
    const first = await startAppServer({ env: { DATA_DIR: dir } });
    await first.signal('SIGTERM');
    expect(first.logs()).toContain(`database schema created (${total} migrations applied to a new database)`);
    const second = await startAppServer({ env: { DATA_DIR: dir } });
    await second.stop();
    expect(second.logs()).toContain(`database schema up to date (${total} migrations, none pending)`);
  });
});

describe('refusals name the problem and the fix', () => {
  it('an edited migration stops the server, naming the file and what to do instead', async () => {
    const dir = tempDir();
    const migrations = path.join(tempDir(), 'migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const server = await startAppServer({ env: { DATA_DIR: dir, MIGRATIONS_DIR: migrations } });
    await server.signal('SIGTERM');
    const [first] = readdirSync(migrations).sort();
    writeFileSync(path.join(migrations, first!), `${readFileSync(path.join(migrations, first!), 'utf8')}\n-- edited\n`);

    const { code, output } = await runAppServerExpectingExit({
      ...BASE_ENV,
      DATA_DIR: dir,
      MIGRATIONS_DIR: migrations,
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(output).toMatch(
      new RegExp(
        `Migration \\S*${first!.replace('.', '\\.')} was edited after being applied[\\s\\S]*write the change as a new migration`,
      ),
    );
    expect(output).not.toMatch(STACK);
  });

  it('an unreachable database: the host, the cause and the likely fix (a plain Postgres URL without NEON_WS_PROXY)', async () => {
    const { port } = inject('postgres');
    const { code, output } = await runAppServerExpectingExit({
      ...BASE_ENV,
      ...REMOTE,
      PORT: '0',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
    });
    expect(code).toBe(1);
    expect(output).toContain(
      `Cannot reach the database postgres at 127.0.0.1:${port} as postgres: connect ECONNREFUSED 127.0.0.1:443.`,
    );
    expect(output).toContain('NEON_WS_PROXY=host:port/v1');
    expect(output).not.toMatch(STACK);
  });

  it('a port already in use: says so and how to choose another', async () => {
    const running = await startAppServer({ env: { DATA_DIR: tempDir() } });
    try {
      const { code, output } = await runAppServerExpectingExit({
        ...BASE_ENV,
        DATA_DIR: tempDir(),
        PORT: String(running.port),
      });
      expect(code).toBe(1);
      expect(output).toContain(`port ${running.port} on 127.0.0.1 is already in use`);
      expect(output).toContain(`PORT=${running.port + 1}`);
      expect(output).not.toMatch(STACK);
    } finally {
      await running.stop();
    }
  });

  it.each([
    ['PORT=abc', { PORT: 'abc' }, 'PORT=abc is not a whole number: use a whole number from 0 to 65535, e.g. PORT=4321'],
    [
      'SHUTDOWN_GRACE_MS=-1',
      { SHUTDOWN_GRACE_MS: '-1' },
      'SHUTDOWN_GRACE_MS=-1 is too small: use a whole number of milliseconds',
    ],
    [
      'a DIST_DIR without a build',
      { DIST_DIR: '/nonexistent/build' },
      'there is no build in /nonexistent/build/: run npm run build first',
    ],
  ])('%s', async (_label, env, message) => {
    const { code, output } = await runAppServerExpectingExit({ ...BASE_ENV, DATA_DIR: tempDir(), ...env });
    expect(code).toBe(1);
    expect(output).toContain(message);
    expect(output).not.toMatch(STACK);
  });

  it('the TypeScript source run directly points at the compiled server (src/build/server-entry.ts)', async () => {
    const { code, output } = await runAppServerExpectingExit({ ...BASE_ENV, DATA_DIR: tempDir() }, [
      'src/server/index.ts',
    ]);
    expect(code).toBe(1);
    expect(output).toContain(
      "this is the server's source: build it (npm run build), then run the compiled server (npm run serve)",
    );
    expect(output).not.toMatch(STACK);
  });
});
