import { afterEach, describe, expect, it } from 'vitest';
import { log, redact, sink, type LogLevel } from '../../src/lib/log.server.ts';

describe('redact', () => {
  it.each([
    ['a token in a query', '/api/auth/callback/email?token=abc123&email=a%40b.c', '/api/auth/callback/email?token=[redacted]&email=[redacted]'],
    ['a session cookie', 'cookie: authjs.session-token=deadbeef; other=1', 'cookie: authjs.session-token=[redacted]; other=1'],
    ['a connection-string password', 'connect postgres://app:s3cret@db.example/x failed', 'connect postgres://app:[redacted]@db.example/x failed'],
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
  const lines: Array<[LogLevel, string]> = [];
  const original = sink.write;
  afterEach(() => {
    sink.write = original;
    lines.length = 0;
  });

  it('writes one JSON object per line; errors carry name, message, stack and cause, redacted', () => {
    sink.write = (level, line) => void lines.push([level, line]);
    const error = new Error('query failed for postgres://app:pw@host/db', { cause: new Error('token=abc') });
    log.error('[api] GET /api/todos failed', error, { requestId: 'r-1' });
    log.info('request', { method: 'GET', status: 200 });
    expect(lines.map(([level]) => level)).toEqual(['error', 'info']);
    const entry = JSON.parse(lines[0]![1]);
    expect(entry).toMatchObject({
      level: 'error',
      msg: '[api] GET /api/todos failed',
      requestId: 'r-1',
      error: 'Error',
      message: 'query failed for postgres://app:[redacted]@host/db',
      cause: 'token=[redacted]',
    });
    expect(entry.stack).toMatch(/^Error: query failed[\s\S]*at /);
    expect(lines[0]![1]).not.toContain(':pw@');
    expect(lines[1]![1]).not.toContain('\n');
  });
});
