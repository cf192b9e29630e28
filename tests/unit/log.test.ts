import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog, createPino, redact } from '#lib/log/log.server.ts';

describe('redact', () => {
  it.each([
    [
      'a token in a query',
      '/api/auth/callback/email?token=abc123&email=a%40b.c',
      '/api/auth/callback/email?token=[redacted]&email=[redacted]',
    ],
    [
      'a session cookie',
      'cookie: authjs.session-token=deadbeef; other=1',
      'cookie: authjs.session-token=[redacted]; other=1',
    ],
    [
      'a connection-string password',
      'connect postgres://app:s3cret@db.example/x failed',
      'connect postgres://app:[redacted]@db.example/x failed',
    ],
    ['a bearer token', 'Authorization: Bearer re_live_12345678abcd', 'Authorization: Bearer [redacted]'],
    ['a Resend key on its own', 'key re_live_12345678abcd leaked', 'key [redacted] leaked'],
    ['a one-time code', 'code=123456', 'code=[redacted]'],
  ])('removes %s', (_label, input, output) => {
    expect(redact(input)).toBe(output);
  });

  it('leaves ordinary text alone', () => {
    expect(redact('GET /api/todos 200 in 4 ms')).toBe('GET /api/todos 200 in 4 ms');
  });
});

describe('log', () => {
  /** A log writing into memory, in the app's line format. */
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    return { lines, log: createLog(createPino(stream)) };
  }

  it('writes one JSON object per line; errors carry name, message, stack and cause, redacted', async () => {
    const { lines, log } = capture();
    const error = new Error('query failed for postgres://app:pw@host/db', { cause: new Error('token=abc') });
    log.error('[api] GET /api/todos failed', error, { requestId: 'r-1' });
    log.info('request', { method: 'GET', status: 200 });
    await new Promise((resolve) => setImmediate(resolve));
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.level)).toEqual(['error', 'info']);
    expect(entries[0]).toMatchObject({
      level: 'error',
      msg: '[api] GET /api/todos failed',
      requestId: 'r-1',
      error: 'Error',
      message: 'query failed for postgres://app:[redacted]@host/db',
      cause: 'token=[redacted]',
    });
    expect(new Date(entries[0].time).toISOString()).toBe(entries[0].time);
    expect(entries[0].stack).toMatch(/^Error: query failed[\s\S]*at /);
    expect(lines[0]).not.toContain(':pw@');
    expect(lines[1]).not.toContain('\n');
  });

  it('blanks credential fields by name and credentials in messages', async () => {
    const { lines, log } = capture();
    log.pino.info(
      { headers: { cookie: 'authjs.session-token=abc', authorization: 'Bearer xyz' }, token: 't0k' },
      'connect postgres://u:hunter2@db/x',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).not.toMatch(/abc|xyz|t0k|hunter2/);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      headers: { cookie: '[redacted]', authorization: '[redacted]' },
      token: '[redacted]',
    });
  });
});

describe('log output', () => {
  /** Runs `code` in a child Node process that imports the log module; returns what it printed. */
  function run(code: string): { stdout: string; stderr: string } {
    const logModule = new URL('../../src/lib/log/log.server.ts', import.meta.url).href;
    const child = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `import { log } from ${JSON.stringify(logModule)};\n${code}`],
      { encoding: 'utf8' },
    );
    return { stdout: child.stdout, stderr: child.stderr };
  }
  const messages = (text: string) =>
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line).msg);

  it('writes info lines joined after the current turn, in order, and all of them when the process exits at once', () => {
    const { stdout } = run(`log.info('one'); log.info('two'); log.info('three'); process.exit(0);`);
    expect(messages(stdout)).toEqual(['one', 'two', 'three']);
  });

  it('writes warnings and errors to stderr immediately, info to stdout', () => {
    const { stdout, stderr } = run(`log.info('later'); log.warn('now'); process.stderr.write('marker\\n');`);
    expect(stderr.split('\n')[0]).toContain('"msg":"now"');
    expect(stderr).toContain('marker');
    expect(messages(stdout)).toEqual(['later']);
  });
});
