/**
 * Refuses requests addressed to a host name this site doesn't answer to (DNS rebinding: a page on
 * evil.example re-resolves its own name to this server and reads it same-origin). Answered names:
 * SITE_URL's host name, plus the loopback names in local mode. Ports are not compared: the site
 * may sit behind a proxy on another port. Runs in front of everything but the health probes.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { closeIfBodyUnread } from './early-answer.ts';
import type { AppConfig } from '#lib/config/config.server.ts';
import { hostnameOf } from '#lib/http/host-name.ts';
import { LOOPBACK_HOSTNAMES } from '#lib/http/loopback.ts';

/** The host names this configuration answers to. */
export function answeredHostnames(cfg: Pick<AppConfig, 'siteUrl' | 'mode'>): Set<string> {
  const names = new Set([new URL(cfg.siteUrl).hostname.replace(/\.$/, '')]);
  if (cfg.mode === 'local') for (const name of LOOPBACK_HOSTNAMES) names.add(name);
  return names;
}

/** The status a request's Host earns it: undefined when answered, 400 missing or malformed, 421 foreign. */
export function hostRefusal(req: IncomingMessage, answered: Set<string>): 400 | 421 | undefined {
  const hostname = hostnameOf(req.headers.host);
  if (hostname === undefined) return 400;
  return answered.has(hostname) ? undefined : 421;
}

/** Writes the refusal: JSON in the API's error shape under /api, a line of text elsewhere. */
export function refuseHost(
  req: IncomingMessage,
  res: ServerResponse,
  status: 400 | 421,
  headers: OutgoingHttpHeaders,
): void {
  const isApi = (req.url ?? '').startsWith('/api/');
  const message =
    status === 400 ? 'The request has no valid Host header.' : 'This server does not answer for that host name.';
  const body = isApi
    ? JSON.stringify({ error: { code: status === 400 ? 'bad_request' : 'misdirected_request', message } })
    : `${message}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': isApi ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...closeIfBodyUnread(req),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
