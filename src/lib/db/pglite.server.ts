/**
 * Local mode: embedded PGlite, in memory or persisted under the data directory (the owner's only).
 * PGlite is imported when a database is opened, never on import of this module.
 */
import path from 'node:path';
import type { PGlite, Results } from '@electric-sql/pglite';
import { makePrivateDir, makeTreePrivate, privatePgliteFs } from './private-data.server.ts';
import { lockDataDir, releaseDataDir } from './data-lock.server.ts';
import { migrate } from './migrate.server.ts';
import type { Database, QueryResult } from './types.ts';

/**
 * PGlite reports `affectedRows` (0 for a SELECT); `@auth/pg-adapter` decides "found" from
 * `rowCount`, so a row-returning statement must count its rows or every session lookup misses.
 */
export function toQueryResult<R>(result: Results<R>): QueryResult<R> {
  const returnsRows = result.fields.length > 0;
  return { rows: result.rows, rowCount: returnsRows ? result.rows.length : (result.affectedRows ?? 0) };
}

/**
 * Postgres settings for PGlite on top of its own defaults. Postgres reserves `shared_buffers`
 * (128 MB by default) and, inside PGlite, that memory ends up resident in the process: 16 MB holds
 * a local database many times over (measured: the server idles at 349 MiB instead of 479, and
 * peaks at 383 instead of 519 under island/todos/PATCH load; README, "Memory").
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];

/** PGlite at `dataDir` (`memory://` for a throwaway database); not migrated. */
export async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
  let pglite: PGlite;
  if (dataDir.startsWith('memory://')) pglite = await PGlite.create(dataDir, { startParams });
  else {
    // The owner's only (the WAL holds live sessions): see private-data.server.ts for why PGlite
    // needs help, and for the repair of directories older versions left world-writable.
    makePrivateDir(dataDir);
    makeTreePrivate(dataDir);
    pglite = await PGlite.create({ fs: await privatePgliteFs(dataDir), startParams });
  }
  // PGlite is one connection; its transaction() holds a lock so other queries wait until it ends.
  return {
    kind: 'pglite',
    query: async (text, params) => toQueryResult(await pglite.query(text, params)),
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: async (text, params) => toQueryResult(await tx.query(text, params)),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    end: async () => {
      if (!pglite.closed) await pglite.close();
    },
    listen: async (channel, onMessage) => {
      const unlisten = await pglite.listen(channel, onMessage);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
  };
}

/**
 * Local mode: PGlite under `<dataRoot>/pglite`, migrated; the data root is the owner's only, and
 * this process's alone while it is open (data-lock.server.ts). The one way both the server
 * (openFromConfig) and the command-line tools (openDatabaseFromEnv) open it.
 */
export async function openLocalDatabase(dataRoot: string, migrationsDir: string): Promise<Database> {
  makePrivateDir(dataRoot);
  lockDataDir(dataRoot);
  const database = await openPglite(path.join(dataRoot, 'pglite'));
  try {
    await migrate(database, migrationsDir);
  } catch (error) {
    await database.end();
    throw error;
  }
  return {
    ...database,
    async end() {
      await database.end();
      releaseDataDir(dataRoot);
    },
  };
}
