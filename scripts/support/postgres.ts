/**
 * A throwaway PostgreSQL cluster from the installed server binaries (Debian's `postgresql`
 * package): initdb into a temp directory, listen on a free loopback port, trust auth, and remove
 * everything on stop. Postgres refuses to run as root, so as root the cluster runs as the
 * `postgres` user the package creates (or `nobody`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { waitUntilReady } from './child-process.ts';
import { freePort } from './ports.ts';

export interface ThrowawayPostgres {
  port: number;
  /** Superuser connection string to the `postgres` database. */
  url: string;
  /** Connection string to another database on the same cluster. */
  urlFor(database: string): string;
  /** Stops the server but keeps its data (for outage tests); `start()` brings it back. */
  pause(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Finds the directory holding initdb/postgres: PG_BIN, PATH, then /usr/lib/postgresql/<newest>/bin. */
export function findPostgresBin(): string {
  const candidates = [process.env.PG_BIN];
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    : [];
  candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  for (const dir of (process.env.PATH ?? '').split(':')) candidates.push(dir);
  for (const dir of candidates) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, postgres) not found. Install them (Debian: apt-get install postgresql) or set PG_BIN.',
  );
}

/** As root, the uid/gid of the `postgres` (or `nobody`) user to run the server as. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
      return { uid, gid };
    } catch {
      // try the next one
    }
  }
  throw new Error('Running as root but neither a postgres nor a nobody user exists to run PostgreSQL as.');
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = findPostgresBin();
  const user = runAs();
  const root = mkdtempSync(path.join(os.tmpdir(), 'throwaway-pg-'));
  const dataDir = path.join(root, 'data');
  if (user) chownSync(root, user.uid, user.gid);
  chmodSync(root, 0o700);
  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
    { stdio: 'pipe', cwd: root, ...user },
  );

  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    // Flag and value pairs read best side by side. track_activity_query_size: the bench reads the
    // app's PATCH statement (session CTE included, ~1.5 KB) back from pg_stat_activity whole.
    // prettier-ignore
    const args = [
      '-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', root,
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      '-c', 'max_connections=200', '-c', 'shared_buffers=128MB', '-c', 'track_activity_query_size=8192',
    ];
    const proc = spawn(path.join(bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, ...user });
    let log = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    child = proc;
    await waitUntilReady(proc, () => isReady(bin, port), {
      what: 'PostgreSQL',
      output: () => log,
      timeoutMs: 30_000,
    });
  };

  const pause = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGINT'); // fast shutdown: ends open connections
    await exited;
  };

  await start();
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url: urlFor('postgres'),
    urlFor,
    pause,
    start,
    async stop() {
      await pause();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Whether the server on `port` accepts connections (pg_isready). */
function isReady(bin: string, port: number): boolean {
  try {
    execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
