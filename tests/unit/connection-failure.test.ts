/**
 * What an operator reads when the database can't be reached at startup: the server, the cause and
 * the likely fix, never just "The database is unavailable." (the driver's errors are recorded from
 * real failures: see tests/integration/migrate-runs.test.ts for the end-to-end run).
 */
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, explainConnectionFailure } from '#lib/db/errors.server.ts';

/** The Neon driver rejects with a WebSocket ErrorEvent (not an Error) when the socket fails. */
const socketFailure = (message: string) => new DatabaseUnavailableError({ type: 'error', message }, false);
const sqlError = (code: string, message: string) => Object.assign(new Error(message), { code });

const PLAIN = 'postgres://app:hunter2@127.0.0.1:5432/todos';
const NEON = 'postgresql://app:hunter2@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/neondb?sslmode=require';

describe('explainConnectionFailure', () => {
  it.each([
    [
      'a plain Postgres URL without NEON_WS_PROXY',
      socketFailure('connect ECONNREFUSED 127.0.0.1:443'),
      PLAIN,
      undefined,
      /Cannot reach the database todos at 127\.0\.0\.1:5432 as app: connect ECONNREFUSED 127\.0\.0\.1:443\. [\s\S]*WebSocket on port 443[\s\S]*NEON_WS_PROXY=host:port\/v1[\s\S]*unset DATABASE_URL/,
    ],
    [
      'a host name that does not resolve',
      socketFailure('getaddrinfo ENOTFOUND ep-gone.neon.tech'),
      'postgres://a:b@ep-gone.neon.tech/neondb',
      undefined,
      /ep-gone\.neon\.tech:5432[\s\S]*ENOTFOUND[\s\S]*does not resolve: check the host in DATABASE_URL/,
    ],
    [
      'a proxy that is not running',
      socketFailure('connect ECONNREFUSED 127.0.0.1:5488'),
      PLAIN,
      '127.0.0.1:5488/v1',
      /Nothing answers at NEON_WS_PROXY=127\.0\.0\.1:5488\/v1: start the WebSocket-to-TCP proxy/,
    ],
    [
      'Postgres away behind the proxy',
      new DatabaseUnavailableError(new Error('Connection terminated unexpectedly'), false),
      PLAIN,
      'localhost:5488/v1',
      /Connection terminated unexpectedly\. The WebSocket proxy at localhost:5488\/v1 could not reach Postgres at 127\.0\.0\.1:5432/,
    ],
    [
      'a wrong password',
      sqlError('28P01', 'password authentication failed for user "app"'),
      NEON,
      undefined,
      /password authentication failed[\s\S]*check the user and password in DATABASE_URL \(Neon: copy the connection string again/,
    ],
    [
      'an unknown role',
      sqlError('28000', 'role "app" does not exist'),
      PLAIN,
      'localhost:5488/v1',
      /role "app" does not exist[\s\S]*credentials/,
    ],
    [
      'a missing database',
      sqlError('3D000', 'database "todos" does not exist'),
      PLAIN,
      'localhost:5488/v1',
      /no database named todos/,
    ],
    [
      'a suspended Neon compute that does not answer',
      new DatabaseUnavailableError(new Error('timeout exceeded when trying to connect'), true),
      NEON,
      undefined,
      /neondb at ep-cool-1234-pooler[^ ]*neon\.tech:5432[\s\S]*Neon compute waking from suspend/,
    ],
  ])('%s: names the server, the cause and the fix', (_label, error, databaseUrl, neonWsProxy, expected) => {
    const text = explainConnectionFailure(error, { databaseUrl, neonWsProxy });
    expect(text).toMatch(expected);
    expect(text).not.toContain('hunter2');
  });

  it('leaves errors that are not about reaching the database to the caller', () => {
    expect(
      explainConnectionFailure(sqlError('42P01', 'relation "x" does not exist'), {
        databaseUrl: PLAIN,
        neonWsProxy: undefined,
      }),
    ).toBeUndefined();
    expect(explainConnectionFailure(new Error('boom'), { databaseUrl: PLAIN, neonWsProxy: undefined })).toBeUndefined();
    expect(
      explainConnectionFailure(socketFailure('x'), { databaseUrl: undefined, neonWsProxy: undefined }),
    ).toBeUndefined();
  });
});
