import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#lib/config/config.server.ts';
import { describeTransport } from '#lib/mail/index.server.ts';

const SECRET = 'x'.repeat(40);
const REMOTE = {
  DATABASE_URL: 'postgres://u:p@db.example.com/neondb',
  AUTH_SECRET: SECRET,
  SITE_URL: 'https://todos.example.com/',
  RESEND_API_KEY: 're_test_123',
  EMAIL_FROM: 'Todos <login@example.com>',
};

let dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

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
    ['a short AUTH_SECRET', { ...REMOTE, AUTH_SECRET: 'short' }, /AUTH_SECRET: must be at least 32/],
    ['SITE_URL', { ...REMOTE, SITE_URL: '' }, /SITE_URL is required/],
    ['a relative SITE_URL', { ...REMOTE, SITE_URL: 'todos.example.com' }, /SITE_URL: must be an absolute/],
    ['a mail transport', { ...REMOTE, RESEND_API_KEY: undefined }, /RESEND_API_KEY or SMTP_URL is required/],
    ['only one transport', { ...REMOTE, SMTP_URL: 'smtp://localhost:25' }, /set only one of RESEND_API_KEY and SMTP_URL/],
    ['an SMTP URL', { ...REMOTE, RESEND_API_KEY: undefined, SMTP_URL: 'http://x' }, /SMTP_URL: must look like/],
    ['EMAIL_FROM with Resend', { ...REMOTE, EMAIL_FROM: undefined }, /EMAIL_FROM is required/],
    ['a postgres URL', { ...REMOTE, DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres/],
    ['a proxy without scheme', { ...REMOTE, NEON_WS_PROXY: 'ws://localhost:5433/v1' }, /NEON_WS_PROXY/],
    ['a header name', { ...REMOTE, CLIENT_IP_HEADER: 'X Forwarded For' }, /CLIENT_IP_HEADER: must be one HTTP header name/],
    ['a hop count', { ...REMOTE, CLIENT_IP_HEADER: 'x-forwarded-for', CLIENT_IP_HOPS: '0' }, /CLIENT_IP_HOPS/],
    ['a numeric hop count', { ...REMOTE, CLIENT_IP_HOPS: 'two' }, /CLIENT_IP_HOPS/],
  ])('refuses to start without %s, saying what to set', (_label, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ['no header: the socket address', {}, { header: undefined, hops: 1 }],
    ['a header, one trusted proxy by default', { CLIENT_IP_HEADER: ' X-Forwarded-For ' }, { header: 'x-forwarded-for', hops: 1 }],
    ['a header behind two proxies', { CLIENT_IP_HEADER: 'x-forwarded-for', CLIENT_IP_HOPS: '2' }, { header: 'x-forwarded-for', hops: 2 }],
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

  it('refuses an unclear LOCAL_MODE_ON_NETWORK', () => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), HOST: '0.0.0.0', LOCAL_MODE_ON_NETWORK: 'yes' })).toThrow(/LOCAL_MODE_ON_NETWORK: must be 1/);
  });

  it('names every problem at once', () => {
    expect(() => loadConfig({ DATABASE_URL: REMOTE.DATABASE_URL })).toThrow(
      /AUTH_SECRET[\s\S]*SITE_URL[\s\S]*RESEND_API_KEY or SMTP_URL/,
    );
  });
});
