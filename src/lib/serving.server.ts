/**
 * The HTTP layer in front of Astro: files of the build straight from memory (static-serving),
 * anonymous server-island answers from a short-lived copy (island-cache), everything else
 * rendered by Astro with on-demand compression and cache defaults (response-compression).
 */
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { createIslandCache } from './island-cache.server.ts';
import { compressOnDemandResponse } from './response-compression.server.ts';
import { loadStaticFiles, serveStaticFile } from './static-serving.server.ts';

/** Serves one request; `headers` (e.g. the request id) go on whatever answers it. */
export type ServingLayer = (req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders) => void;

/** Wraps Astro's request handler; reads the client build in `clientDir` once, now. */
export function createServingLayer(astroHandler: RequestListener, clientDir: string): ServingLayer {
  const files = loadStaticFiles(clientDir);
  const islands = createIslandCache();
  return (req, res, headers) => {
    if (serveStaticFile(files, req, res, headers)) return;
    if (islands.serve(req, res, headers)) return;
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    compressOnDemandResponse(req, res, islands.recorder(req));
    astroHandler(req, res);
  };
}
