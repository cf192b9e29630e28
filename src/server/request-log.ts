/**
 * One structured line per HTTP request: method, path (never the query string: sign-in links carry
 * their token there), status, duration and request id. Written when the response is done or the
 * client goes away, so aborted requests are logged too.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { log } from '#lib/log/log.server.ts';

const INCOMING_ID = /^[\w.:-]{1,100}$/;

/** The caller's X-Request-Id when it looks sane (a proxy's trace id), otherwise a new one. */
export function requestId(req: http.IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}

export function logRequest(req: http.IncomingMessage, res: http.ServerResponse, id: string): void {
  const started = process.hrtime.bigint();
  // 'close' comes once per response: after it was sent, or when the client went away first.
  res.once('close', () => {
    const fields = {
      method: req.method,
      path: (req.url ?? '/').split('?')[0]!.slice(0, 300),
      status: res.statusCode,
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      requestId: id,
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    if (res.statusCode >= 500) log.warn('request', fields);
    else log.info('request', fields);
  });
}
