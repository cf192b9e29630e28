/**
 * The HTTP layer in front of Astro: requests for a host name the site doesn't answer to are
 * refused (host-check), files of the build come straight from memory (static-serving), anonymous
 * server-island answers from a short-lived copy (island-cache), everything else is rendered by
 * Astro with on-demand compression and cache defaults (response-compression), a few at a time
 * (render-admission). Every answer carries the security headers.
 *
 * Astro's handler is the adapter's `middleware` mode: routes only. Its `standalone` handler would
 * look every request up on disk first (send: a stat per on-demand request, ~7 % of the signed-in
 * island's CPU) for files this layer already serves from memory. What else that handler did and
 * Astro doesn't is here: a request target that doesn't decode gets 400. (Astro itself redirects
 * /a/ to /a, renders the 404 page, and handles HEAD, the client address, aborts and body limits.)
 */
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { closeIfBodyUnread } from './early-answer.ts';
import { hostRefusal, refuseHost } from './host-check.ts';
import { createIslandCache } from './island-cache.ts';
import { compressOnDemandResponse, ON_DEMAND_CACHE_CONTROL } from './response-compression.ts';
import { createLibraryHandler, type LibraryVariant } from './serving-libraries.ts';
import { loadStaticFiles, serveStaticFile } from './static-files.ts';
import { createRenderAdmission } from './render-admission.ts';
import { OVERLOADED, unavailableAnswer } from '#lib/http/unavailable.server.ts';

/** Serves one request; `headers` (e.g. the request id) go on whatever answers it. */
export type ServingLayer = (req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders) => void;

export interface ServingOptions {
  /** Headers on every response (src/lib/http/security-headers.ts securityHeadersFor). */
  securityHeaders: Record<string, string>;
  /** Host names answered (host-check answeredHostnames); any other Host gets 421. */
  hostnames: Set<string>;
  /**
   * How many requests Astro renders at once; the rest wait in arrival order (render-admission).
   * The library variants (bench only) let every request in, as those libraries would.
   */
  renderConcurrency: number;
  /**
   * `own` (production): the modules here. `sirv` / `stock`: the same duties done by maintained
   * libraries (serving-libraries.ts), selected by SERVING for `npm run bench` only.
   */
  variant?: 'own' | LibraryVariant;
}

/**
 * Answers 400 to a target that isn't valid percent-encoding (`/%zz`), as the adapter's standalone
 * handler did before Astro saw it; returns false for every other request.
 */
function refuseUndecodable(req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders): boolean {
  // Nearly every target has no escape at all: skip the decoding for those.
  if (!req.url?.includes('%')) return false;
  try {
    decodeURI(req.url);
    return false;
  } catch {
    res.writeHead(400, {
      ...headers,
      ...closeIfBodyUnread(req),
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': ON_DEMAND_CACHE_CONTROL,
    });
    res.end('Bad request.');
    return true;
  }
}

/** 503 with Retry-After for a request that found too many others waiting: JSON for the API, else a page. */
function refuseOverloaded(req: IncomingMessage, res: ServerResponse) {
  const { headers, body } = unavailableAnswer(OVERLOADED, req.url ?? '/');
  // The security headers and the request id are on `res` already (set before admission).
  res.writeHead(503, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Wraps Astro's request handler; reads the client build in `clientDir` once, now. */
export function createServingLayer(
  astroHandler: RequestListener,
  clientDir: string,
  options: ServingOptions,
): ServingLayer {
  const { securityHeaders, hostnames, renderConcurrency, variant = 'own' } = options;
  const islands = createIslandCache();
  if (variant !== 'own') {
    const handle = createLibraryHandler(variant, astroHandler, clientDir, islands);
    return (req, res, headers) => {
      const refusal = hostRefusal(req, hostnames);
      if (refusal) return refuseHost(req, res, refusal, { ...securityHeaders, ...headers });
      if (islands.serve(req, res, headers)) return;
      if (refuseUndecodable(req, res, { ...securityHeaders, ...headers })) return;
      for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
      handle(req, res);
    };
  }
  const files = loadStaticFiles(clientDir, securityHeaders);
  const admit = createRenderAdmission(renderConcurrency, refuseOverloaded);
  return (req, res, headers) => {
    const refusal = hostRefusal(req, hostnames);
    if (refusal) return refuseHost(req, res, refusal, { ...securityHeaders, ...headers });
    if (serveStaticFile(files, req, res, headers)) return;
    if (islands.serve(req, res, headers)) return;
    if (refuseUndecodable(req, res, { ...securityHeaders, ...headers })) return;
    // Defaults for whatever Astro answers with: its routes (headers given to writeHead win, so a
    // route's own policy stays), its 404s and redirects.
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    admit(req, res, (done) => {
      compressOnDemandResponse(req, res, { onSend: islands.recorder(req), onWritten: done });
      astroHandler(req, res);
    });
  };
}
