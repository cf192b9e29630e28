/**
 * PGlite's files are the owner's only (issue #10, L3), also in a data directory left loose by an
 * older version: opening it repairs the modes, and files created afterwards (WAL segments, new
 * relations) are born private.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '#lib/db/index.server.ts';
import { looseEntries } from '../support/file-modes.ts';

let parent: string | undefined;
afterEach(() => {
  if (parent) rmSync(parent, { recursive: true, force: true });
  parent = undefined;
});

/** Enough writes to make PGlite create relation files and fill WAL. */
async function write(dataDir: string, table: string): Promise<void> {
  const database = await openDatabase({ dataDir });
  await database.exec(
    `CREATE TABLE ${table} (x text); INSERT INTO ${table} SELECT repeat('x', 1000) FROM generate_series(1, 20000); CHECKPOINT;`,
  );
  await database.end();
}

describe('PGlite data directory modes', () => {
  it('creates a new data directory with no group or other permissions', async () => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'pglite-perm-'));
    chmodSync(parent, 0o755);
    const dataDir = path.join(parent, 'pglite');
    await write(dataDir, 'fresh');
    expect(looseEntries(dataDir)).toEqual([]);
  });

  it('repairs an old, world-writable data directory on open and keeps later files private', async () => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'pglite-perm-'));
    const dataDir = path.join(parent, 'pglite');
    await write(dataDir, 'before');
    // What older versions left behind: 666 files, 755 directories.
    chmodSync(dataDir, 0o755);
    for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
      chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o666);
    }
    expect(looseEntries(dataDir).length).toBeGreaterThan(100);
    await write(dataDir, 'after');
    expect(looseEntries(dataDir)).toEqual([]);
  });
});
