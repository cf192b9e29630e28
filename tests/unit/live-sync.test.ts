/**
 * Live sync's choices that need no database: which change source a configuration gets (and says
 * at start), how a resume id is read, and the configuration's words for a bad value.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#lib/config/config.server.ts';
import { chooseSource, describeSource } from '#lib/live/changes.server.ts';
import { parseSince } from '#lib/live/event-stream.server.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs('live-sync-test-');

const POOLER = 'postgres://app:pw@ep-cool-name-123456-pooler.eu-central-1.aws.neon.tech/app';
const DIRECT = 'postgres://app:pw@ep-cool-name-123456.eu-central-1.aws.neon.tech/app';
const base = { wsProxy: undefined, pollMs: 1000 };

describe('live sync: the change source', () => {
  it.each([
    ['local mode', { mode: 'local', databaseUrl: undefined, directUrl: undefined }, 'pglite', /embedded database/],
    [
      'a Neon pooler with DATABASE_URL_DIRECT',
      { mode: 'remote', databaseUrl: POOLER, directUrl: DIRECT },
      'listen',
      /LISTEN on DATABASE_URL_DIRECT/,
    ],
    [
      'a Neon pooler alone: a poll',
      { mode: 'remote', databaseUrl: POOLER, directUrl: undefined },
      'poll',
      /Neon pooler.*DATABASE_URL_DIRECT is unset: polling every 1000 ms/,
    ],
    [
      'a direct or plain Postgres URL',
      { mode: 'remote', databaseUrl: DIRECT, directUrl: undefined },
      'listen',
      /LISTEN on DATABASE_URL while pages are open$/,
    ],
  ] as const)('%s', (_label, options, kind, said) => {
    const source = chooseSource({ ...base, ...options });
    expect(source.kind).toBe(kind);
    expect(describeSource(source)).toMatch(said);
    if (source.kind === 'listen') expect(source.url).toBe(options.directUrl ?? options.databaseUrl);
  });

  it.each([
    ['1796145132504', 1796145132504],
    ['', null],
    [null, null],
    ['-5', null],
    ['12.5', null],
    ['1e9', null],
    ['9'.repeat(16), null],
  ])('reads the resume id %j as %j', (raw, expected) => {
    expect(parseSince(raw)).toBe(expected);
  });

  it('explains a bad DATABASE_URL_DIRECT or LIVE_* value, and reads good ones', () => {
    const env = { DATA_DIR: tempDir(), DATABASE_URL_DIRECT: 'ep-x.neon.tech', LIVE_STREAMS_PER_USER: '0' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DATABASE_URL_DIRECT=ep-x\.neon\.tech is not a Postgres connection string/);
    expect(() => loadConfig(env)).toThrow(/LIVE_STREAMS_PER_USER=0 is too small/);
    const live = loadConfig({ DATA_DIR: tempDir(), LIVE_HEARTBEAT_MS: '500' }).live;
    expect(live).toEqual({
      directUrl: undefined,
      maxStreams: 2000,
      maxStreamsPerUser: 10,
      heartbeatMs: 500,
      sessionCheckMs: 60_000,
      pollMs: 1000,
    });
  });
});
