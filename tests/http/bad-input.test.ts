/**
 * Bad input, table-driven, against the production build on Postgres: every API route and form
 * endpoint gets malformed, mistyped, oversized, hostile and unauthenticated requests. Every answer
 * must be a 4xx (JSON error shape on the API, a redirect or a page elsewhere), never a 5xx, and
 * afterwards the database must hold exactly what the valid requests produced.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import { HttpClient } from '../support/http-client.ts';
import { startApp, type RunningApp } from '../support/running-app.ts';
import { signedInClient } from '../support/session-fixture.ts';

type Init = RequestInit & { json?: unknown; form?: Record<string, string> };
/** `:own` in a path is replaced by the id of one of the signed-in user's todos. */
type Case = [label: string, path: string, init: Init, status: number, code?: string];

const json = (body: string, type = 'application/json'): Init => ({
  method: 'POST',
  body,
  headers: { 'content-type': type },
});
const patch = (body: unknown): Init => ({ method: 'PATCH', json: body });
const bytes = (text: string): Init => ({ method: 'POST', body: new TextEncoder().encode(text) }); // no content type

const MALFORMED: Case[] = [
  ['truncated JSON', '/api/todos', json('{"content":'), 400, 'invalid_json'],
  ['an empty body', '/api/todos', json(''), 400, 'invalid_json'],
  ['single quotes', '/api/todos', json("{'content':'x'}"), 400, 'invalid_json'],
  ['trailing garbage', '/api/todos', json('{"content":"x"} trailing'), 400, 'invalid_json'],
  ['JSON null', '/api/todos', json('null'), 400, 'validation_failed'],
  ['a JSON array', '/api/todos', json('[{"content":"x"}]'), 400, 'validation_failed'],
  ['a JSON string', '/api/todos', json('"x"'), 400, 'validation_failed'],
  ['truncated JSON (PATCH)', '/api/todos/:own', { ...json('{'), method: 'PATCH' }, 400, 'invalid_json'],
];

const CONTENT_TYPES: Case[] = [
  ['text/plain', '/api/todos', json('{"content":"x"}', 'text/plain'), 415, 'unsupported_media_type'],
  ['no content type', '/api/todos', bytes('{"content":"x"}'), 415, 'unsupported_media_type'],
  ['a form body', '/api/todos', { form: { content: 'x' } }, 415, 'unsupported_media_type'],
  [
    'multipart',
    '/api/todos',
    json('--b\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b'),
    415,
    'unsupported_media_type',
  ],
  [
    'text/plain (PATCH)',
    '/api/todos/:own',
    { ...json('{"completed":true}', 'text/plain'), method: 'PATCH' },
    415,
    'unsupported_media_type',
  ],
];

const FIELDS: Case[] = [
  ['a missing content', '/api/todos', { json: {} }, 400, 'validation_failed'],
  ['an empty patch', '/api/todos/:own', patch({}), 400, 'validation_failed'],
  ['an extra user_id', '/api/todos', { json: { content: 'x', user_id: 1 } }, 400, 'validation_failed'],
  ['an extra id in a patch', '/api/todos/:own', patch({ completed: true, id: 1 }), 400, 'validation_failed'],
  ['a __proto__ key', '/api/todos', json('{"content":"x","__proto__":{"admin":true}}'), 400, 'validation_failed'],
  ['content as a number', '/api/todos', { json: { content: 7 } }, 400, 'validation_failed'],
  ['content null', '/api/todos', { json: { content: null } }, 400, 'validation_failed'],
  ['content as an array', '/api/todos', { json: { content: ['x'] } }, 400, 'validation_failed'],
  ['content as an object', '/api/todos', { json: { content: { text: 'x' } } }, 400, 'validation_failed'],
  ['content only spaces', '/api/todos', { json: { content: ' \t\n ' } }, 400, 'validation_failed'],
  ['content of 501 characters', '/api/todos', { json: { content: 'x'.repeat(501) } }, 400, 'validation_failed'],
  ['content with a NUL byte', '/api/todos', { json: { content: 'a\u0000b' } }, 400, 'validation_failed'],
  ['completed as a string', '/api/todos/:own', patch({ completed: 'true' }), 400, 'validation_failed'],
  ['completed as 1', '/api/todos/:own', patch({ completed: 1 }), 400, 'validation_failed'],
  ['completed null', '/api/todos/:own', patch({ completed: null }), 400, 'validation_failed'],
  ['a NUL byte in a patch', '/api/todos/:own', patch({ content: '\u0000' }), 400, 'validation_failed'],
];

const BAD_IDS = [
  '0',
  '-1',
  '1.5',
  'abc',
  '99999999999',
  '2147483648',
  '1e3',
  '0x10',
  '01',
  '%201',
  '%00',
  '1%2F2',
  '9'.repeat(400),
];
const IDS: Case[] = BAD_IDS.flatMap((id): Case[] => [
  [`id ${id.slice(0, 20)} (PATCH)`, `/api/todos/${id}`, patch({ completed: true }), 400, 'invalid_id'],
  [`id ${id.slice(0, 20)} (DELETE)`, `/api/todos/${id}`, { method: 'DELETE' }, 400, 'invalid_id'],
]);

const METHODS: Case[] = [
  ['PUT on the collection', '/api/todos', { method: 'PUT', json: { content: 'x' } }, 405, 'method_not_allowed'],
  ['DELETE on the collection', '/api/todos', { method: 'DELETE' }, 405, 'method_not_allowed'],
  ['PATCH on the collection', '/api/todos', patch({ completed: true }), 405, 'method_not_allowed'],
  ['GET on an item', '/api/todos/:own', { method: 'GET' }, 405, 'method_not_allowed'],
  ['PUT on an item', '/api/todos/:own', { method: 'PUT', json: { content: 'x' } }, 405, 'method_not_allowed'],
  ['POST on an item', '/api/todos/:own', { json: { content: 'x' } }, 405, 'method_not_allowed'],
];

const BULK: Case[] = [
  ['truncated JSON (complete-all)', '/api/todos/complete-all', json('{"completed":'), 400, 'invalid_json'],
  ['a missing completed (complete-all)', '/api/todos/complete-all', { json: {} }, 400, 'validation_failed'],
  [
    'completed as a string (complete-all)',
    '/api/todos/complete-all',
    { json: { completed: 'yes' } },
    400,
    'validation_failed',
  ],
  [
    'an extra user_id (complete-all)',
    '/api/todos/complete-all',
    { json: { completed: true, user_id: 1 } },
    400,
    'validation_failed',
  ],
  [
    'text/plain (complete-all)',
    '/api/todos/complete-all',
    json('{"completed":true}', 'text/plain'),
    415,
    'unsupported_media_type',
  ],
  ['GET on complete-all', '/api/todos/complete-all', { method: 'GET' }, 405, 'method_not_allowed'],
  [
    'PUT on complete-all',
    '/api/todos/complete-all',
    { method: 'PUT', json: { completed: true } },
    405,
    'method_not_allowed',
  ],
  ['GET on completed', '/api/todos/completed', { method: 'GET' }, 405, 'method_not_allowed'],
  ['POST on completed', '/api/todos/completed', { json: {} }, 405, 'method_not_allowed'],
];

const NOT_FOUND: Case[] = [
  ['a todo that does not exist', '/api/todos/2147483647', patch({ completed: true }), 404, 'not_found'],
  ['deleting one that does not exist', '/api/todos/2147483647', { method: 'DELETE' }, 404, 'not_found'],
];

/** Valid but unusual content: stored verbatim, answered as sent (after trimming). */
const VERBATIM = [
  'héllo wörld ÆØÅ ß',
  '👍🏽 family: 👨‍👩‍👧‍👦, flags 🇳🇴🇯🇵',
  'שלום עולם — مرحبا بالعالم',
  '\u202Egnp.exe (right-to-left override)',
  'zero\u200Bwidth and combining é',
  "'; DROP TABLE todos; --",
  "1' OR '1'='1",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)> & "quotes" \'single\'',
  '{{7*7}} ${7*7} <%= 7*7 %>',
  'x'.repeat(500),
];

describe('bad input (postgres mode)', () => {
  let app: RunningApp;
  let database: Database;
  let ann: HttpClient;
  let annId: number;
  let bea: HttpClient;
  let own: number;
  /** Contents the valid requests created, in order: the database must end up with exactly these. */
  const expected: string[] = [];

  const send = (client: HttpClient, path: string, init: Init) => client.fetch(path.replace(':own', String(own)), init);

  beforeAll(async () => {
    app = await startApp('postgres');
    database = app.database!;
    const fixture = await signedInClient(database, app.server.url, `ann.${Date.now()}@example.com`);
    ann = fixture.client;
    annId = fixture.userId;
    bea = (await signedInClient(database, app.server.url, `bea.${Date.now()}@example.com`)).client;
    const created = await ann.fetch('/api/todos', { json: { content: 'the one to poke at' } });
    own = ((await created.json()) as { id: number }).id;
    expected.push('the one to poke at');
  });
  afterAll(async () => app?.stop());

  it.each([...MALFORMED, ...CONTENT_TYPES, ...FIELDS, ...IDS, ...METHODS, ...BULK, ...NOT_FOUND])(
    '%s → %i %s',
    async (_label, path, init, status, code) => {
      const response = await send(ann, path, init);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
      if (status === 405) expect(response.headers.get('allow')).toMatch(/^[A-Z, ]+$/);
    },
  );

  it.each(VERBATIM)('stores %j verbatim', async (content) => {
    const response = await ann.fetch('/api/todos', { json: { content } });
    expect(response.status).toBe(201);
    const todo = (await response.json()) as { id: number; content: string };
    expect(todo.content).toBe(content);
    expected.push(content);
    const { rows } = await database.query<{ content: string }>(
      'SELECT content FROM todos WHERE id = $1 AND user_id = $2',
      [todo.id, annId],
    );
    expect(rows[0]!.content).toBe(content);
  });

  it('renders stored markup escaped on the todo page', async () => {
    const page = await (await ann.fetch('/todos')).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toContain('<img src=x');
    expect(page).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;|\\u003Cscript\\u003E|&lt;script>/);
  });

  it('refuses a 10 MB body with 413 on its declared length', async () => {
    const response = await ann.fetch('/api/todos', json(JSON.stringify({ content: 'x'.repeat(10 * 1024 * 1024) })));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
  });

  it('refuses a 10 MB chunked body with 413 before it has all been sent (no buffering)', async () => {
    const url = new URL('/api/todos', app.server.url);
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      const request = http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: ann.cookieHeader(), origin: app.server.url },
      });
      let sent = 0;
      let answered = false;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      request.on('response', (response) => {
        answered = true;
        response.resume();
        resolve({ status: response.statusCode ?? 0, sent });
        request.destroy();
      });
      request.on('error', (error) => (answered ? undefined : reject(error)));
      request.write('{"content":"');
      const pump = () => {
        while (!answered && sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
        if (!answered) request.end('"}');
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(10 * 1024 * 1024);
  });

  describe('session cookies', () => {
    const cookies: Array<[string, () => Promise<string>]> = [
      ['forged', async () => 'f'.repeat(64)],
      ['empty-looking', async () => '""'],
      ['malformed percent-encoding', async () => '%E0%A4%A'],
      // Raw UTF-8 bytes on the wire (fetch only sends header values as Latin-1 code units).
      ['UTF-8 bytes', async () => Buffer.from('sessión-👍').toString('latin1')],
      ['4 KB long', async () => 'a'.repeat(4000)],
      ['SQL-looking', async () => "x' OR '1'='1"],
      // Decoded to a NUL character, which Postgres refuses in text: still just "no session".
      ['percent-encoded NUL byte', async () => 'abc%00def'],
      [
        'expired',
        async () => {
          const token = `expired-${Date.now()}`;
          await database.query(
            `INSERT INTO sessions ("userId", "sessionToken", expires) VALUES ($1, $2, now() - interval '1 minute')`,
            [annId, hashSessionToken(token)],
          );
          return token;
        },
      ],
    ];

    it.each(cookies)('%s: 401 on the API, a redirect to sign-in on the todo page', async (_label, make) => {
      const client = new HttpClient(app.server.url);
      client.cookies.set('authjs.session-token', await make());
      const api = await client.fetch('/api/todos');
      expect(api.status).toBe(401);
      expect(await api.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      const write = await client.fetch('/api/todos', { json: { content: 'should not be stored' } });
      expect(write.status).toBe(401);
      const page = await client.fetch('/todos');
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toMatch(/^\/signin\?/);
    });
  });

  it('answers oversized request headers with 431', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(new URL('/api/todos', app.server.url), {
        headers: { 'x-padding': 'p'.repeat(32 * 1024) },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(431);
  });

  describe('form endpoints', () => {
    const form = (fields: Record<string, string>): Init => ({ form: fields });
    const FORMS: Array<
      [label: string, path: string, init: Init | (() => Promise<Init>), check: (r: Response) => void]
    > = [
      [
        'sign-in without an email',
        '/api/auth/signin/email',
        form({ csrfToken: 'x' }),
        redirectsTo(/^\/signin\?error=invalid-email/),
      ],
      [
        'sign-in with a NUL in the email',
        '/api/auth/signin/email',
        form({ email: 'a\u0000@example.com' }),
        redirectsTo(/^\/signin\?error=invalid-email/),
      ],
      [
        'sign-in with a 300-character email',
        '/api/auth/signin/email',
        form({ email: `${'a'.repeat(300)}@example.com` }),
        redirectsTo(/^\/signin\?error=invalid-email/),
      ],
      [
        'sign-in with SQL in the email',
        '/api/auth/signin/email',
        form({ email: "x'--@example.com'" }),
        redirectsTo(/^\/signin\?error=invalid-email/),
      ],
      ['sign-in without a CSRF token', '/api/auth/signin/email', form({ email: 'csrf@example.com' }), isClientSide],
      ['sign-in with a JSON body', '/api/auth/signin/email', { json: { email: 'json@example.com' } }, isClientSide],
      [
        'sign-in with a 10 MB body',
        '/api/auth/signin/email',
        json('e'.repeat(10 * 1024 * 1024), 'application/x-www-form-urlencoded'),
        hasStatus(413),
      ],
      // A GET of the callback never signs in: it shows the confirm page (whose button POSTs).
      [
        'a callback by GET',
        '/api/auth/callback/email?token=forged&email=a%40example.com',
        { method: 'GET' },
        redirectsTo(/^\/signin\/confirm\?token=forged&email=a%40example\.com$/),
      ],
      [
        'a callback with a made-up token',
        '/api/auth/callback/email?token=forged&email=a%40example.com',
        form({}),
        redirectsTo(/\/signin\/error\?error=Verification/),
      ],
      ['a callback with no token', '/api/auth/callback/email', { method: 'GET' }, isClientSide],
      ['an unknown Auth.js action', '/api/auth/frobnicate', { method: 'GET' }, isClientSide],
      ['Auth.js sign-out without a CSRF token', '/api/auth/signout', form({}), isClientSide],
      ['Auth.js session by DELETE', '/api/auth/session', { method: 'DELETE' }, notServerError],
      [
        'Auth.js session with a forged cookie',
        '/api/auth/session',
        { method: 'GET', headers: { cookie: 'authjs.session-token=forged' } },
        notServerError,
      ],
      ['Auth.js CSRF by PUT', '/api/auth/csrf', { method: 'PUT', body: 'x' }, notServerError],
      ['a path with a NUL byte', '/api/auth/signin%00/email', form({ email: 'nul@example.com' }), isClientSide],
      [
        'a sign-in code without a pending sign-in',
        '/signin/code',
        form({ code: '123456' }),
        redirectsTo(/^\/signin\?error=code-session/),
      ],
      ['a sign-in code by GET', '/signin/code', { method: 'GET' }, hasStatus(405)],
      [
        'a confirm link with garbage',
        '/signin/confirm?token=%00%27--&email=%F0%9F&callbackUrl=javascript:alert(1)',
        { method: 'GET' },
        isClientSide,
      ],
      ['a confirm link with nothing', '/signin/confirm', { method: 'GET' }, hasStatus(410)],
      [
        'an account action while signed out',
        '/account',
        form({ action: 'delete-account', confirm: 'x' }),
        redirectsTo(/^\/signin\?/),
      ],
      ['sign-out with a JSON body', '/signout', { json: { everything: true } }, redirectsTo(/^\/$/)],
      [
        'sign-out with a 10 MB body',
        '/signout',
        json('x'.repeat(10 * 1024 * 1024), 'application/x-www-form-urlencoded'),
        isClientSide,
      ],
    ];

    it.each(FORMS)('%s: answered without a 5xx', async (_label, path, init, check) => {
      const response = await new HttpClient(app.server.url).fetch(
        path,
        typeof init === 'function' ? await init() : init,
      );
      check(response);
    });

    // The no-JavaScript todo forms, signed in as Ann: every one is refused, so nothing changes.
    const refused = (code: string) => redirectsTo(new RegExp(`^/todos\\?(.*&)?error=${code}`));
    const TODO_FORMS: Array<[label: string, path: string, init: Init | (() => Init), check: (r: Response) => void]> = [
      ['add without content', '/todos/add', form({}), refused('invalid')],
      ['add with a NUL byte', '/todos/add', form({ content: 'a\u0000b' }), refused('invalid')],
      ['add with 501 characters', '/todos/add', form({ content: 'x'.repeat(501) }), refused('too_long')],
      ['add with a JSON body', '/todos/add', { json: { content: 'json' } }, refused('invalid')],
      [
        'add with a 10 MB body',
        '/todos/add',
        json(`content=${'x'.repeat(10 * 1024 * 1024)}`, 'application/x-www-form-urlencoded'),
        isClientSide,
      ],
      ['toggle with id abc', '/todos/toggle', form({ id: 'abc', completed: 'true' }), refused('invalid')],
      [
        'toggle with an id beyond int4',
        '/todos/toggle',
        form({ id: '99999999999', completed: 'true' }),
        refused('invalid'),
      ],
      [
        'toggle with completed=yes',
        '/todos/toggle',
        () => form({ id: String(own), completed: 'yes' }),
        refused('invalid'),
      ],
      ['edit with id -1', '/todos/edit', form({ id: '-1', content: 'x' }), refused('invalid')],
      ['edit with a NUL byte', '/todos/edit', () => form({ id: String(own), content: '\u0000' }), refused('invalid')],
      ['delete a todo that does not exist', '/todos/delete', form({ id: '2147483647' }), refused('not_found')],
      ['delete with id 1.5', '/todos/delete', form({ id: '1.5' }), refused('invalid')],
      ['complete-all with completed=maybe', '/todos/complete-all', form({ completed: 'maybe' }), refused('invalid')],
      ['an unknown action', '/todos/frobnicate', form({}), hasStatus(404)],
      ['GET on an action', '/todos/add', { method: 'GET' }, redirectsTo(/^\/todos$/)],
    ];

    it.each(TODO_FORMS)(
      '/todos form: %s → answered without a 5xx, nothing changed',
      async (_label, path, init, check) => {
        const before = await (await ann.fetch('/api/todos')).text();
        check(await ann.fetch(path, typeof init === 'function' ? init() : init));
        expect(await (await ann.fetch('/api/todos')).text()).toBe(before);
      },
    );

    it('a todo form while signed out goes to sign-in', async () => {
      const response = await new HttpClient(app.server.url).fetch('/todos/add', form({ content: 'anonymous' }));
      redirectsTo(/^\/signin\?/)(response);
    });

    // Signed in as Bea (not Ann: nothing here may change anyone's data).
    const ACCOUNT: Array<[label: string, init: Init, check: (r: Response) => void]> = [
      ['an unknown action', form({ action: 'frobnicate' }), redirectsTo(/^\/account\?error=unknown-action/)],
      ['no action', form({}), redirectsTo(/^\/account\?error=unknown-action/)],
      [
        'deleting with a wrong confirmation',
        form({ action: 'delete-account', confirm: 'someone@else.example' }),
        redirectsTo(/mismatch/),
      ],
      [
        'deleting with SQL as confirmation',
        form({ action: 'delete-account', confirm: "' OR 1=1 --" }),
        redirectsTo(/mismatch/),
      ],
      ['a JSON body', { json: { action: 'delete-account' } }, redirectsTo(/^\/account\?error=unknown-action/)],
      [
        'a 10 MB body',
        json(`action=delete-account&confirm=${'x'.repeat(10 * 1024 * 1024)}`, 'application/x-www-form-urlencoded'),
        isClientSide,
      ],
      // Pages take GET, HEAD and form POSTs only (the middleware answers anything else with 405).
      [
        'PUT',
        {
          method: 'PUT',
          body: 'action=sign-out-everywhere',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        hasStatus(405),
      ],
      ['DELETE', { method: 'DELETE' }, hasStatus(405)],
    ];

    it.each(ACCOUNT)('/account with %s: answered without a 5xx, nothing deleted', async (_label, init, check) => {
      check(await bea.fetch('/account', init));
      expect((await bea.fetch('/api/todos')).status).toBe(200);
    });
  });

  it('leaves the database with exactly what the valid requests produced, and logged no 5xx', async () => {
    const { rows } = await database.query<{ content: string }>(
      'SELECT content FROM todos WHERE user_id = $1 ORDER BY id',
      [annId],
    );
    expect(rows.map((r) => r.content)).toEqual(expected);
    const all = await database.query<{ n: string }>('SELECT count(*) AS n FROM todos');
    expect(Number(all.rows[0]!.n)).toBe(expected.length);
    const users = await database.query<{ n: string }>('SELECT count(*) AS n FROM users');
    expect(Number(users.rows[0]!.n)).toBe(2);
    expect(app.server.logs()).not.toMatch(/"status":5\d\d/);
  });
});

function redirectsTo(location: RegExp) {
  return (response: Response) => {
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    expect(response.headers.get('location')).toMatch(location);
  };
}

function hasStatus(status: number) {
  return (response: Response) => expect(response.status).toBe(status);
}

function notServerError(response: Response) {
  expect(response.status).toBeLessThan(500);
}

/** A redirect or a 4xx: what a browser can show, never a server error. */
function isClientSide(response: Response) {
  expect(response.status).toBeGreaterThanOrEqual(300);
  expect(response.status).toBeLessThan(500);
}
