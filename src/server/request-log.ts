/**
 * One structured line per HTTP request through pino-http: method, path (never the query string:
 * sign-in links carry their token there), status, duration and request id. pino-http writes it
 * when the response is done or the client goes away first, so aborted requests are logged too
 * (`aborted: true`). 5xx answers are logged at warn (stderr), the rest at info.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
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
  ...(res.writableFinished ? {} : { aborted: true }),
});

const middleware = pinoHttp({
  logger: log.pino,
  genReqId: requestId,
  // The request and response objects stay out of the line (headers hold cookies); only the
  // fields above go in, flat, as before pino.
  wrapSerializers: false,
  serializers: { req: () => undefined, res: () => undefined, err: () => undefined },
  // The line's logger is a child carrying only the request id, under our field name.
  quietReqLogger: true,
  quietResLogger: true,
  customAttributeKeys: { reqId: 'requestId' },
  customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'warn' : 'info'),
  customSuccessMessage: () => 'request',
  customErrorMessage: () => 'request',
  customSuccessObject: (req, res, value: { responseTime: number }) => fieldsOf(req, res, value.responseTime),
  customErrorObject: (req, res, _error, value: { responseTime: number }) => fieldsOf(req, res, value.responseTime),
});

/** Starts timing `req`; its line is written when the response closes. `id` is its request id. */
export function logRequest(req: http.IncomingMessage, res: http.ServerResponse, id: string): void {
  (req as { id?: unknown }).id = id;
  middleware(req, res);
}
