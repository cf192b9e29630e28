/**
 * The HTTP layer in front of Astro: files of the build straight from memory (static-serving),
 * anonymous server-island answers from a short-lived copy (island-cache), everything else
 * rendered by Astro with on-demand compression and cache defaults (response-compression).
 */
import type { RequestListener } from 'node:http';
import { createIslandCache } from './island-cache.server.ts';
import { compressOnDemandResponse } from './response-compression.server.ts';
import { loadStaticFiles, serveStaticFile } from './static-serving.server.ts';

/** Wraps Astro's request handler; reads the client build in `clientDir` once, now. */
export function createServingLayer(astroHandler: RequestListener, clientDir: string): RequestListener {
  const files = loadStaticFiles(clientDir);
  const islands = createIslandCache();
  return (req, res) => {
    if (serveStaticFile(files, req, res)) return;
    if (islands.serve(req, res)) return;
    compressOnDemandResponse(req, res, islands.recorder(req));
    astroHandler(req, res);
  };
}
