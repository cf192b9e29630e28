/**
 * Serves the client build (prerendered pages, hashed assets, public files) from memory, before
 * Astro sees the request: no rendering, no middleware, no session work, no database.
 *
 * - Every file and its precompressed `.br` / `.gz` siblings are read once at startup, with their
 *   response headers built once; a request picks a variant by Accept-Encoding (Vary says so).
 * - Hashed assets (`/_astro/*`) are immutable for a year; everything else is revalidated with
 *   ETag (a hash of the content, equal on every instance of one build) and Last-Modified, and a
 *   matching If-None-Match / If-Modified-Since gets a 304 with no body.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeFor, negotiateEncoding, type Encoding } from './content-encoding.ts';
import { closeIfBodyUnread } from './early-answer.ts';
import { SECURITY_HEADERS } from '#lib/http/security-headers.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'public, max-age=0, must-revalidate';
/** Unhashed public files (favicon, robots.txt, sitemap): an hour, then revalidate. */
export const SHORT_LIVED = 'public, max-age=3600, must-revalidate';

interface Variant {
  body: Buffer;
  headers: OutgoingHttpHeaders;
}

export interface StaticFile {
  etag: string;
  lastModified: string;
  /** Whole seconds, as HTTP dates carry them, for If-Modified-Since. */
  lastModifiedSeconds: number;
  identity: Variant;
  br?: Variant;
  gzip?: Variant;
  notModifiedHeaders: OutgoingHttpHeaders;
  /** The encodings this file has a precompressed variant in. */
  encodings: Encoding[];
  /** For a method other than GET and HEAD: 405 (one object shared by every file). */
  notAllowedHeaders: OutgoingHttpHeaders;
}

/** Files Astro must answer itself: its error pages carry their status (404/500), not 200. */
export const LEFT_TO_ASTRO = new Set(['/404.html', '/500.html']);

/** The Cache-Control of a file of the build, by its URL path. */
export function cacheControlFor(urlPath: string): string {
  if (urlPath.startsWith('/_astro/')) return IMMUTABLE;
  return urlPath.endsWith('.html') ? REVALIDATE : SHORT_LIVED;
}

function* filesUnder(dir: string, prefix = ''): Generator<[string, string]> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const urlPath = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) yield* filesUnder(full, urlPath);
    else if (entry.isFile() && !/\.(br|gz)$/.test(entry.name)) yield [urlPath, full];
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function loadFile(
  urlPath: string,
  file: string,
  securityHeaders: Record<string, string>,
  notAllowedHeaders: OutgoingHttpHeaders,
): StaticFile {
  const body = readFileSync(file);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const modified = statSync(file).mtime;
  const lastModifiedSeconds = Math.floor(modified.getTime() / 1000);
  const lastModified = new Date(lastModifiedSeconds * 1000).toUTCString();
  const common: OutgoingHttpHeaders = {
    ...securityHeaders,
    'Cache-Control': cacheControlFor(urlPath),
    ETag: etag,
    'Last-Modified': lastModified,
  };
  const br = readOptional(`${file}.br`);
  const gz = readOptional(`${file}.gz`);
  if (br || gz) common.Vary = 'Accept-Encoding';
  const variant = (bytes: Buffer, encoding?: Encoding): Variant => ({
    body: bytes,
    headers: {
      ...common,
      'Content-Type': contentTypeFor(file),
      'Content-Length': bytes.length,
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
    },
  });
  return {
    etag,
    lastModified,
    lastModifiedSeconds,
    identity: variant(body),
    ...(br ? { br: variant(br, 'br') } : {}),
    ...(gz ? { gzip: variant(gz, 'gzip') } : {}),
    notModifiedHeaders: common,
    encodings: [...(br ? (['br'] as const) : []), ...(gz ? (['gzip'] as const) : [])],
    notAllowedHeaders,
  };
}

/**
 * Every file of the client build by URL path; `/a/index.html` also answers `/a` and `/a/`. Each
 * response carries `securityHeaders` (the site's, with HSTS when it is https).
 */
export function loadStaticFiles(
  clientDir: string,
  securityHeaders: Record<string, string> = SECURITY_HEADERS,
): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const notAllowedHeaders: OutgoingHttpHeaders = {
    ...securityHeaders,
    Allow: 'GET, HEAD',
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'private, no-store',
  };
  for (const [urlPath, file] of filesUnder(clientDir)) {
    if (LEFT_TO_ASTRO.has(urlPath)) continue;
    const loaded = loadFile(urlPath, file, securityHeaders, notAllowedHeaders);
    files.set(urlPath, loaded);
    if (urlPath.endsWith('/index.html')) {
      const dirPath = urlPath.slice(0, -'index.html'.length);
      files.set(dirPath, loaded);
      if (dirPath !== '/') files.set(dirPath.slice(0, -1), loaded);
    }
  }
  return files;
}

/** True when the client's cached copy is current (RFC 9110: If-None-Match wins over the date). */
export function isNotModified(req: IncomingMessage, file: StaticFile): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((tag) => {
      const trimmed = tag.trim();
      return trimmed === '*' || trimmed.replace(/^W\//, '') === file.etag;
    });
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && file.lastModifiedSeconds <= since / 1000;
}

/** The path part of a request target, decoded; undefined when it can't name a file. */
function requestPath(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const query = url.indexOf('?');
  const raw = query === -1 ? url : url.slice(0, query);
  if (!raw.startsWith('/')) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * Answers GET/HEAD for a file of the build, and 405 to any other method on one (a file takes no
 * form or API call); returns false (touching nothing) for every other address, so the caller
 * passes the request on to Astro. `extraHeaders` (the request id) are sent along.
 */
export function serveStaticFile(
  files: Map<string, StaticFile>,
  req: IncomingMessage,
  res: ServerResponse,
  extraHeaders: OutgoingHttpHeaders = {},
): boolean {
  const urlPath = requestPath(req.url);
  const file = urlPath === undefined ? undefined : files.get(urlPath);
  if (!file) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, {
      ...file.notAllowedHeaders,
      ...extraHeaders,
      ...closeIfBodyUnread(req),
    });
    res.end('Method not allowed.');
    return true;
  }

  // All headers in one writeHead, none set before: Node then skips its per-header setHeader path.
  if (isNotModified(req, file)) {
    res.writeHead(304, { ...file.notModifiedHeaders, ...extraHeaders });
    res.end();
    return true;
  }
  const encoding = negotiateEncoding(req.headers['accept-encoding'], file.encodings);
  const variant = (encoding && file[encoding]) || file.identity;
  res.writeHead(200, { ...variant.headers, ...extraHeaders });
  res.end(req.method === 'HEAD' ? undefined : variant.body);
  return true;
}
