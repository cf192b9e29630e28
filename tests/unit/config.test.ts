import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDatabaseConfig } from '#lib/config/config.server.ts';
import { describeTransport } from '#lib/mail/index.server.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const SECRET = 'x'.repeat(40);
const REMOTE = {
  DATABASE_URL: 'postgres://u:p@db.example.com/neondb',
  AUTH_SECRET: SECRET,
  SITE_URL: 'https://todos.example.com/',
  RESEND_API_KEY: 're_test_123',
  EMAIL_FROM: 'Todos <login@example.com>',
};

const tempDir = tempDirs('config-test-');

describe('loadConfig', () => {
  it('runs in local mode with no environment at all: outbox, generated secret kept on disk', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.mode).toBe('local');
    expect(first.mail).toEqual({ kind: 'outbox' });
    expect(first.siteUrl).toBe('http://localhost:4321');
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    // The same secret on the next start, so sessions survive a restart; readable by the owner only.
    expect(loadConfig({ DATA_DIR: dataDir }).authSecret).toBe(first.authSecret);
    expect(readFileSync(path.join(dataDir, 'auth-secret'), 'utf8').trim()).toBe(first.authSecret);
    expect(statSync(path.join(dataDir, 'auth-secret')).mode & 0o077).toBe(0);
  });

  it('builds the local site URL from PORT', () => {
    expect(loadConfig({ DATA_DIR: tempDir(), PORT: '8080' }).siteUrl).toBe('http://localhost:8080');
  });

  it('selects Resend when configured, and describes it without the key', () => {
    const cfg = loadConfig(REMOTE);
    expect(cfg.mode).toBe('remote');
    expect(cfg.siteUrl).toBe('https://todos.example.com');
    expect(cfg.mail).toMatchObject({ kind: 'resend', apiKey: 're_test_123', apiUrl: 'https://api.resend.com' });
    expect(describeTransport(cfg.mail)).not.toContain('re_test_123');
  });

  it('uses Resend in local mode too when a key is given', () => {
    const cfg = loadConfig({ DATA_DIR: tempDir(), RESEND_API_KEY: 'k', EMAIL_FROM: 'a@example.com' });
    expect(cfg.mode).toBe('local');
    expect(cfg.mail.kind).toBe('resend');
  });

  it.each([
    ['AUTH_SECRET', { ...REMOTE, AUTH_SECRET: undefined }, /AUTH_SECRET is required/],
    ['SITE_URL', { ...REMOTE, SITE_URL: '' }, /SITE_URL is required/],
    ['a mail transport', { ...REMOTE, RESEND_API_KEY: undefined }, /RESEND_API_KEY or SMTP_URL is required/],
    [
      'only one transport',
      { ...REMOTE, SMTP_URL: 'smtp://localhost:25' },
      /set only one of RESEND_API_KEY and SMTP_URL/,
    ],
    ['EMAIL_FROM with Resend', { ...REMOTE, EMAIL_FROM: undefined }, /EMAIL_FROM is required/],
  ])('refuses to start without %s, saying what to set', (_label, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  /**
   * Every misconfiguration message names the variable, says what is wrong with its value and how
   * to fix it, in words: never zod's own text ("Invalid input: expected number, received NaN").
   * Secrets are described, never echoed.
   */
  it.each([
    ['PORT=abc', { PORT: 'abc' }, /PORT=abc is not a whole number[\s\S]*from 0 to 65535[\s\S]*PORT=4321/],
    ['PORT=70000', { PORT: '70000' }, /PORT=70000 is (too large|out of range)[\s\S]*from 0 to 65535/],
    ['PORT=-1', { PORT: '-1' }, /PORT=-1 is (too small|out of range)[\s\S]*from 0 to 65535/],
    ['PORT=80.5', { PORT: '80.5' }, /PORT=80.5 is not a whole number/],
    [
      'SITE_URL=foo',
      { ...REMOTE, SITE_URL: 'foo' },
      /SITE_URL=foo is not an absolute http\(s\) URL[\s\S]*SITE_URL=https:\/\/todos.example.com/,
    ],
    [
      'SITE_URL=ftp://…',
      { ...REMOTE, SITE_URL: 'ftp://todos.example.com' },
      /SITE_URL=ftp:\/\/todos.example.com is not an absolute http\(s\) URL/,
    ],
    [
      'DATABASE_URL=mysql://…',
      { ...REMOTE, DATABASE_URL: 'mysql://root:hunter2@db.example.com/app' },
      /DATABASE_URL=mysql:\/\/root:\*\*\*@db.example.com\/app is not a Postgres connection string[\s\S]*postgres(ql)?:\/\/[\s\S]*unset/,
    ],
    [
      'AUTH_SECRET short',
      { ...REMOTE, AUTH_SECRET: 'short-secret' },
      /AUTH_SECRET is 12 characters long[\s\S]*at least 32[\s\S]*openssl rand -base64 33/,
    ],
    [
      'HOST with a scheme',
      { ...REMOTE, HOST: 'http://0.0.0.0' },
      /HOST=http:\/\/0.0.0.0 is not an address to listen on[\s\S]*HOST=0.0.0.0/,
    ],
    [
      'HOST with a port',
      { ...REMOTE, HOST: '0.0.0.0:4321' },
      /HOST=0.0.0.0:4321 is not an address to listen on[\s\S]*PORT/,
    ],
    ['HOST with spaces', { ...REMOTE, HOST: 'my host' }, /HOST=my host is not an address to listen on/],
    [
      'SHUTDOWN_GRACE_MS=-1',
      { SHUTDOWN_GRACE_MS: '-1' },
      /SHUTDOWN_GRACE_MS=-1 is (too small|out of range)[\s\S]*milliseconds[\s\S]*SHUTDOWN_GRACE_MS=10000/,
    ],
    ['LOG_LEVEL=verbose', { LOG_LEVEL: 'verbose' }, /LOG_LEVEL=verbose is not one of info, warn, error, silent/],
    ['SERVING=nginx', { SERVING: 'nginx' }, /SERVING=nginx is not one of own, sirv, stock/],
    [
      'SHUTDOWN_GRACE_MS=10s',
      { SHUTDOWN_GRACE_MS: '10s' },
      /SHUTDOWN_GRACE_MS=10s is not a whole number[\s\S]*milliseconds/,
    ],
    [
      'DATABASE_POOL_MAX=0',
      { ...REMOTE, DATABASE_POOL_MAX: '0' },
      /DATABASE_POOL_MAX=0 is (too small|out of range)[\s\S]*from 1 to 100/,
    ],
    [
      'SIGN_IN_LINK_MINUTES=forever',
      { SIGN_IN_LINK_MINUTES: 'forever' },
      /SIGN_IN_LINK_MINUTES=forever is not a whole number/,
    ],
    [
      'an SMTP URL',
      { ...REMOTE, RESEND_API_KEY: undefined, SMTP_URL: 'http://user:pw@x' },
      /SMTP_URL=http:\/\/user:\*\*\*@x is not an SMTP URL[\s\S]*smtps?:\/\//,
    ],
    [
      'a proxy with a scheme',
      { ...REMOTE, NEON_WS_PROXY: 'ws://localhost:5433/v1' },
      /NEON_WS_PROXY=ws:\/\/localhost:5433\/v1 [\s\S]*host:port\/v1[\s\S]*NEON_WS_PROXY=localhost:5433\/v1/,
    ],
    [
      'a header name',
      { ...REMOTE, CLIENT_IP_HEADER: 'X Forwarded For' },
      /CLIENT_IP_HEADER=X Forwarded For is not one HTTP header name[\s\S]*x-forwarded-for/,
    ],
    [
      'a hop count',
      { ...REMOTE, CLIENT_IP_HEADER: 'x-forwarded-for', CLIENT_IP_HOPS: '0' },
      /CLIENT_IP_HOPS=0 is (too small|out of range)[\s\S]*from 1 to 10/,
    ],
    ['a numeric hop count', { ...REMOTE, CLIENT_IP_HOPS: 'two' }, /CLIENT_IP_HOPS=two is not a whole number/],
    [
      'RESEND_API_URL',
      { ...REMOTE, RESEND_API_URL: 'api.resend.com' },
      /RESEND_API_URL=api.resend.com is not an absolute http\(s\) URL/,
    ],
    [
      'LOCAL_MODE_ON_NETWORK=yes',
      { HOST: '0.0.0.0', LOCAL_MODE_ON_NETWORK: 'yes' },
      /LOCAL_MODE_ON_NETWORK=yes is not 1 or 0[\s\S]*LOCAL_MODE_ON_NETWORK=1/,
    ],
  ] as Array<[string, Record<string, string | undefined>, RegExp]>)(
    'explains %s in words: variable, problem, fix',
    (_label, env, message) => {
      let error: unknown;
      try {
        loadConfig({ DATA_DIR: tempDir(), ...env });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as Error).message;
      expect(text).toMatch(message);
      expect(text).not.toMatch(/Invalid input|expected (number|string)|received|Invalid (url|string)/i);
      expect(text).not.toMatch(/Too (big|small)/);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('short-secret');
      expect(text).not.toContain(':pw@');
    },
  );

  it('reads the process settings: port, host, shutdown grace, build and migrations directories', () => {
    const dataDir = tempDir();
    const defaults = loadConfig({ DATA_DIR: dataDir });
    expect(defaults).toMatchObject({ port: 4321, host: '127.0.0.1', shutdownGraceMs: 10_000, distDir: undefined });
    expect(defaults.migrationsDir).toBe(path.resolve('db/migrations'));
    const set = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '::1',
      SHUTDOWN_GRACE_MS: '0',
      DIST_DIR: 'builds/blue',
      MIGRATIONS_DIR: 'db/migrations',
    });
    expect(set).toMatchObject({ port: 0, host: '::1', shutdownGraceMs: 0, distDir: path.resolve('builds/blue') });
  });

  it('refuses a MIGRATIONS_DIR that does not exist, naming where it looked', () => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), MIGRATIONS_DIR: 'no/such/dir' })).toThrow(
      new RegExp(
        `MIGRATIONS_DIR=no/such/dir: there is no directory ${path.resolve('no/such/dir').replace(/[/\\.]/g, '\\$&')}`,
      ),
    );
  });

  it('gives the command-line tools the database settings alone, parsed by the same rules', () => {
    const dataDir = tempDir();
    // No AUTH_SECRET, SITE_URL or mail: a release step migrating with database credentials only.
    expect(loadDatabaseConfig({ DATABASE_URL: REMOTE.DATABASE_URL, NEON_WS_PROXY: 'localhost:5433/v1' })).toMatchObject(
      {
        mode: 'remote',
        databaseUrl: REMOTE.DATABASE_URL,
        neonWsProxy: 'localhost:5433/v1',
      },
    );
    expect(loadDatabaseConfig({ DATA_DIR: dataDir })).toMatchObject({ mode: 'local', dataDir });
    expect(() => loadDatabaseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL=mysql:\/\/x is not a Postgres connection string/,
    );
    // The server's settings are not its business: a bad PORT does not stop a migration.
    expect(() => loadDatabaseConfig({ DATA_DIR: dataDir, PORT: 'abc' })).not.toThrow();
  });

  it('follows the port actually served in local mode (PORT=0, or a dev server moved to a free port)', () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir, PORT: '0' }, { servedPort: 40123 }).siteUrl).toBe('http://localhost:40123');
    expect(loadConfig({ DATA_DIR: dataDir }, { servedPort: 4701 }).siteUrl).toBe('http://localhost:4701');
    // A configured SITE_URL is the public URL whatever the process listens on (behind a proxy).
    expect(loadConfig(REMOTE, { servedPort: 4701 }).siteUrl).toBe('https://todos.example.com');
  });

  it.each([
    ['no header: the socket address', {}, { header: undefined, hops: 1 }],
    [
      'a header, one trusted proxy by default',
      { CLIENT_IP_HEADER: ' X-Forwarded-For ' },
      { header: 'x-forwarded-for', hops: 1 },
    ],
    [
      'a header behind two proxies',
      { CLIENT_IP_HEADER: 'x-forwarded-for', CLIENT_IP_HOPS: '2' },
      { header: 'x-forwarded-for', hops: 2 },
    ],
    ['a single-value header', { CLIENT_IP_HEADER: 'Fly-Client-IP' }, { header: 'fly-client-ip', hops: 1 }],
  ])('reads the client address settings: %s', (_label, env, clientIp) => {
    expect(loadConfig({ ...REMOTE, ...env }).clientIp).toEqual(clientIp);
  });

  it('keeps the local data directory to its owner, also one created loose by an older version', () => {
    const parent = tempDir();
    const fresh = path.join(parent, 'fresh');
    loadConfig({ DATA_DIR: fresh });
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    const old = path.join(parent, 'old');
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    loadConfig({ DATA_DIR: old });
    expect(statSync(old).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['0.0.0.0', {}],
    ['::', {}],
    ['192.168.1.20', {}],
    ['0.0.0.0 (LOCAL_MODE_ON_NETWORK=0)', { LOCAL_MODE_ON_NETWORK: '0' }],
  ])('refuses local mode on HOST=%s, naming DATABASE_URL and the opt-in', (label, extra) => {
    const env = { DATA_DIR: tempDir(), HOST: label.split(' ')[0], ...extra };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DATABASE_URL[\s\S]*LOCAL_MODE_ON_NETWORK=1/);
  });

  it.each([
    ['local mode, default HOST', {}, true],
    ['local mode, HOST=localhost', { HOST: 'localhost' }, true],
    ['local mode, HOST=::1', { HOST: '::1' }, true],
    ['local mode on the network by opt-in', { HOST: '0.0.0.0', LOCAL_MODE_ON_NETWORK: '1' }, false],
    ['local mode on the network by opt-in (true)', { HOST: '0.0.0.0', LOCAL_MODE_ON_NETWORK: 'true' }, false],
    ['remote mode on 0.0.0.0', { ...REMOTE, HOST: '0.0.0.0' }, false],
    ['remote mode on loopback', { ...REMOTE, HOST: '127.0.0.1' }, false],
  ] as Array<[string, Record<string, string>, boolean]>)('%s: starts, mailbox %s', (_label, env, mailbox) => {
    const cfg = loadConfig({ DATA_DIR: tempDir(), ...env });
    expect(cfg.mailbox).toBe(mailbox);
    expect(cfg.host).toBe(env.HOST ?? '127.0.0.1');
  });

  it('names every problem at once', () => {
    expect(() => loadConfig({ DATABASE_URL: REMOTE.DATABASE_URL })).toThrow(
      /AUTH_SECRET[\s\S]*SITE_URL[\s\S]*RESEND_API_KEY or SMTP_URL/,
    );
  });
});
