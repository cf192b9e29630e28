/**
 * The serving layer built from maintained libraries instead of our own modules, kept so that
 * `npm run bench` measures both in the same run (SERVING=sirv|stock; docs/adr/0001-serving-layer.md
 * has the figures and the decision). Production runs the hand-built layer (serving.ts).
 *
 * - `sirv`: files of the build through sirv (precompressed .br/.gz, ETag, Cache-Control as ours),
 *   on-demand answers through `compression`.
 * - `stock`: files through the adapter's own standalone handler (send, from disk, then Astro;
 *   adapterStandaloneHandler), on-demand answers through `compression`.
 * Both keep what is ours by nature: Host check, security headers, request id, island cache, the
 * `private, no-store` default for on-demand answers, and streams (text/event-stream) unbuffered.
 */
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, Server, ServerResponse } from 'node:http';
import { constants } from 'node:zlib';
import compression from 'compression';
import sirv from 'sirv';
import { isCompressible } from './content-encoding.ts';
import type { IslandCache } from './island-cache.ts';
import { ON_DEMAND_CACHE_CONTROL, type SentResponse } from './response-compression.ts';
import { cacheControlFor, LEFT_TO_ASTRO } from './static-files.ts';

export type LibraryVariant = 'sirv' | 'stock';

/** What the build's server entry (dist/server/entry.mjs) exports, as @astrojs/node writes it. */
export interface AstroEntry {
  /** Astro's routes alone (the adapter's `middleware` mode, astro.config.mjs). */
  handler: RequestListener;
  /** Starts the adapter's standalone server (its file handler, then Astro) on PORT and HOST. */
  startServer(): { server: { server: Server } };
}

/**
 * The adapter's standalone handler, for `stock`: every request looked up on disk (send) and, when
 * no file answers, rendered by Astro. The build is in middleware mode, whose entry exports only
 * Astro's routes and `startServer`: that starts the standalone server, here on a spare loopback
 * port, and its request listener is the handler. The server is left open (closing it closes
 * Astro's logger, which the adapter ties to it) but unreferenced, so it holds nothing.
 */
export function adapterStandaloneHandler(entry: AstroEntry): RequestListener {
  const names = ['PORT', 'HOST', 'ASTRO_NODE_LOGGING'] as const;
  const saved = names.map((name) => process.env[name]);
  Object.assign(process.env, { PORT: '0', HOST: '127.0.0.1', ASTRO_NODE_LOGGING: 'disabled' });
  let server: Server;
  try {
    server = entry.startServer().server.server;
  } finally {
    names.forEach((name, i) => {
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
    });
  }
  server.unref();
  const [listener] = server.listeners('request');
  if (typeof listener !== 'function') throw new Error("The adapter's standalone server has no request handler");
  return listener as RequestListener;
}

/** `compression` is typed for Express; it only uses the node:http request and response. */
type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const compressOnDemand: Middleware = compression({
  // Streams must reach the client as written (compression would hold them in zlib's buffer).
  filter: (_req, res) => {
    const type = String(res.getHeader('Content-Type') ?? '');
    return !type.startsWith('text/event-stream') && isCompressible(type);
  },
  brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 3 } }, // as ours: speed over the last byte
}) as unknown as Middleware;

type WriteHead = (status: number, ...rest: unknown[]) => ServerResponse;

/** Sets `private, no-store` when the answer chose no Cache-Control, just before the headers go. */
function defaultCacheControl(res: ServerResponse) {
  const writeHead = res.writeHead as WriteHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const headers = (typeof rest[0] === 'string' ? rest[1] : rest[0]) as OutgoingHttpHeaders | string[] | undefined;
    const chosen =
      res.hasHeader('Cache-Control') ||
      (Array.isArray(headers)
        ? headers.some((value, i) => i % 2 === 0 && String(value).toLowerCase() === 'cache-control')
        : headers !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === 'cache-control'));
    if (!chosen) res.setHeader('Cache-Control', ON_DEMAND_CACHE_CONTROL);
    return writeHead.call(this, status, ...rest);
  } as ServerResponse['writeHead'];
}

/** Keeps the bytes sent (after compression) for the island cache. */
function record(req: IncomingMessage, res: ServerResponse, onSend: (sent: SentResponse) => void) {
  const write = res.write as (...args: unknown[]) => boolean;
  const end = res.end as (...args: unknown[]) => ServerResponse;
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array),
    );
  };
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return write.call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    if (req.method === 'GET')
      onSend({ status: res.statusCode, headers: res.getHeaders(), body: Buffer.concat(chunks) });
    return end.call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

/** Astro behind the library stack: cache default, compression, and the island recorder. */
function onDemand(astroHandler: RequestListener, islands: IslandCache, req: IncomingMessage, res: ServerResponse) {
  const recorder = islands.recorder(req);
  if (recorder) record(req, res, recorder);
  defaultCacheControl(res);
  compressOnDemand(req, res, () => astroHandler(req, res));
}

/**
 * What serves a request once the Host check passed and the island copy declined: the library's
 * static handler, then Astro. Security headers and `headers` are already set on `res`.
 */
export function createLibraryHandler(
  variant: LibraryVariant,
  astroHandler: RequestListener,
  clientDir: string,
  islands: IslandCache,
) {
  if (variant === 'stock') {
    // `astroHandler` is the adapter's standalone handler (adapterStandaloneHandler): it serves
    // dist/client itself (send) before Astro.
    return (req: IncomingMessage, res: ServerResponse) => onDemand(astroHandler, islands, req, res);
  }
  const files = sirv(clientDir, {
    etag: true,
    brotli: true,
    gzip: true,
    extensions: ['html'],
    // `pathname` is the request's: a page URL (`/`, `/about`) names an .html file.
    setHeaders: (res, pathname) =>
      res.setHeader('Cache-Control', cacheControlFor(/\.\w+$/.test(pathname) ? pathname : `${pathname}.html`)),
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    const next = () => onDemand(astroHandler, islands, req, res);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || LEFT_TO_ASTRO.has((req.url ?? '').split('?')[0]!))
      return next();
    files(req, res, next);
  };
}
