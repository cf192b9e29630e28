/**
 * What one request's log line costs the server's main thread, measured in-process (no HTTP, no
 * autocannon: the HTTP rows of `npm run bench` move by more than this from one run to the next).
 * Each variant writes to /dev/null through the same buffered stream the server uses for info lines:
 *   - pino-http: the production path (src/server/request-log.ts createRequestLogger), middleware
 *     plus the line on 'finish';
 *   - pino alone: the same line written by `logger.info(fields, 'request')`, no pino-http;
 *   - JSON.stringify: the hand-built logger pino replaced (one object, one string per line).
 * Run alone: `node scripts/bench-log.ts`.
 */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { createPino } from '#lib/log/log.server.ts';
import { createRequestLogger } from '#server/request-log.ts';

const LINES = Number(process.env.BENCH_LOG_LINES ?? 200_000);

function devNull() {
  return pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 });
}

/** A request and response pino-http can work with: headers, url, the events it listens to. */
function fakeExchange(i: number) {
  const req = Object.assign(new EventEmitter(), {
    method: 'GET',
    url: `/docs/page-${i % 10}?x=1`,
    headers: { 'x-request-id': `id-${i}` },
  });
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    writableFinished: true,
    getHeader: () => undefined,
  });
  return { req: req as unknown as http.IncomingMessage, res: res as unknown as http.ServerResponse };
}

function time(run: (i: number) => void): number {
  for (let i = 0; i < 20_000; i++) run(i); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) run(i);
  return Number(process.hrtime.bigint() - started) / 1000 / LINES;
}

/** Microseconds of main-thread time per request line, by variant. */
export function measureLogCost(): Record<string, number> {
  const fields = (req: http.IncomingMessage, res: http.ServerResponse, durationMs: number) => ({
    method: req.method,
    path: (req.url ?? '/').split('?')[0],
    status: res.statusCode,
    durationMs,
  });

  const withPinoHttp = createRequestLogger(createPino(devNull()));
  const pinoAlone = createPino(devNull());
  const plain = devNull();

  return {
    'pino-http': time((i) => {
      const { req, res } = fakeExchange(i);
      withPinoHttp(req, res, String(req.headers['x-request-id']));
      res.emit('finish');
    }),
    'pino alone': time((i) => {
      const { req, res } = fakeExchange(i);
      pinoAlone.info({ ...fields(req, res, 1), requestId: req.headers['x-request-id'] }, 'request');
    }),
    'JSON.stringify': time((i) => {
      const { req, res } = fakeExchange(i);
      plain.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'request', ...fields(req, res, 1), requestId: req.headers['x-request-id'] })}\n`,
      );
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [name, micros] of Object.entries(measureLogCost()))
    console.log(`${name.padEnd(16)} ${micros.toFixed(2)} µs per request line`);
}
