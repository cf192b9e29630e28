/**
 * A short-lived copy of server-island answers for visitors without a session cookie.
 *
 * Anonymous visitors are most of the traffic, and every content page asks for its account menu
 * (`/_server-islands/UserMenu?...`). Without a session cookie the middleware does no session work,
 * so the answer depends only on the URL (the island and its build-time encrypted props) and on the
 * negotiated encoding: rendering it again for every visitor would only burn CPU. The copy is kept
 * for TTL_MS, only for 200 answers that set no cookie, and never for a request that carries a
 * session cookie (a signed-in visitor always gets a fresh render). Browsers still get
 * `private, no-store`: this copy is the server's, not a shared cache's.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { SESSION_COOKIE_NAMES } from '#lib/auth/constants.ts';
import { ISLAND_PREFIX } from '#lib/http/server-islands.ts';
import { negotiateEncoding } from './content-encoding.ts';
import type { SentResponse } from './response-compression.ts';

const TTL_MS = 10_000;
/** Island URLs come from the build (one per page), but a client can invent others: stay bounded. */
const MAX_ENTRIES = 500;

/** True when the Cookie header names a session cookie with a value (same test as the middleware). */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  if (!cookieHeader) return false;
  return cookieHeader.split(';').some((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return false;
    const name = pair.slice(0, eq).trim();
    return (SESSION_COOKIE_NAMES as readonly string[]).includes(name) && pair.slice(eq + 1).trim() !== '';
  });
}

interface Entry extends SentResponse {
  expires: number;
}

export interface IslandCache {
  /** Answers from the copy (with `headers` added) if it can; returns false when the request must be rendered. */
  serve(req: IncomingMessage, res: ServerResponse, headers?: OutgoingHttpHeaders): boolean;
  /** For a request `serve` declined: a callback that keeps the rendered answer, or undefined. */
  recorder(req: IncomingMessage): ((sent: SentResponse) => void) | undefined;
}

export function createIslandCache(now: () => number = Date.now): IslandCache {
  const entries = new Map<string, Entry>();

  const keyFor = (req: IncomingMessage): string | undefined => {
    if (req.method !== 'GET' || !req.url?.startsWith(ISLAND_PREFIX)) return undefined;
    if (hasSessionCookie(req.headers.cookie)) return undefined;
    return `${negotiateEncoding(req.headers['accept-encoding']) ?? 'identity'} ${req.url}`;
  };

  return {
    serve(req, res, headers = {}) {
      const key = keyFor(req);
      const entry = key === undefined ? undefined : entries.get(key);
      if (!entry) return false;
      if (entry.expires <= now()) {
        entries.delete(key!);
        return false;
      }
      // One writeHead with every header, none set before (Node's fast path).
      res.writeHead(entry.status, { ...entry.headers, ...headers });
      res.end(entry.body);
      return true;
    },
    recorder(req) {
      const key = keyFor(req);
      if (key === undefined) return undefined;
      return (sent) => {
        if (sent.status !== 200 || sent.headers['set-cookie'] !== undefined) return;
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        // Per-request headers stay with the request that got them.
        const { 'x-request-id': _requestId, date: _date, ...headers } = sent.headers;
        entries.set(key, { ...sent, headers, expires: now() + TTL_MS });
      };
    },
  };
}
