/**
 * Local mode keeps its data to its owner (issue #10, L3): the data directory, PGlite's files in it
 * (the WAL holds live session rows) and the generated secret carry no group or other permission
 * bits, including files PGlite creates while the server runs.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looseEntries } from '../support/file-modes.ts';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';

describe('local data directory permissions', () => {
  let app: RunningApp;
  let parent: string;
  let dataDir: string;
  beforeAll(async () => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'perm-test-'));
    dataDir = path.join(parent, 'data'); // created by the app
    app = await startApp('local', { env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it('creates the data directory and everything PGlite writes in it for the owner only', async () => {
    const client = new HttpClient(app.server.url);
    await client.signIn('perm@example.com', app.latestLink);
    for (let i = 0; i < 20; i += 1)
      expect((await client.fetch('/api/todos', { json: { content: `todo ${i}` } })).status).toBe(201);
    const entries = readdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    expect(entries.length).toBeGreaterThan(100);
    expect(looseEntries(dataDir)).toEqual([]);
  });
});
