/**
 * One structured line per HTTP request through pino-http: method, path (never the query string:
 * sign-in links carry their token there), status, duration and request id. pino-http writes it
 * when the response is done or the client goes away first, so aborted requests are logged too
 * (`aborted: true`). 5xx answers are logged at warn (stderr), the rest at info.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { log } from '#lib/log/log.server.ts';

const INCOMING_ID = /^[\w.:-]{1,100}$/;

/** The caller's X-Request-Id when it looks sane (a proxy's trace id), otherwise a new one. */
export function requestId(req: http.IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}

const pathOf = (req: http.IncomingMessage) => (req.url ?? '/').split('?')[0]!.slice(0, 300);

const fieldsOf = (req: http.IncomingMessage, res: http.ServerResponse, durationMs: number) => ({
  method: req.method,
  path: pathOf(req),
  status: res.statusCode,
  durationMs,
  requestId: (req as { id?: unknown }).id,
  ...(res.writableFinished ? {} : { aborted: true }),
});

/** Request lines through pino-http on `logger`; `id` is the request's id (see requestId). */
export function createRequestLogger(
  logger: Logger,
): (req: http.IncomingMessage, res: http.ServerResponse, id: string) => void {
  const middleware = pinoHttp({
    logger,
    // The request and response objects stay out of the line (headers hold cookies); only the
    // fields above go in, flat.
    wrapSerializers: false,
    serializers: { req: () => undefined, res: () => undefined, err: () => undefined },
    // The line goes through the logger itself, not a per-request child carrying the id: that
    // child cost 6 µs per request (scripts/bench-log.ts), the id is one of the fields instead.
    quietResLogger: true,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, value: { responseTime: number }) => fieldsOf(req, res, value.responseTime),
    customErrorObject: (req, res, _error, value: { responseTime: number }) => fieldsOf(req, res, value.responseTime),
  });
  return (req, res, id) => {
    (req as { id?: unknown }).id = id;
    middleware(req, res);
  };
}

/** Starts timing `req`; its line is written when the response closes. `id` is its request id. */
export const logRequest = createRequestLogger(log.pino);
