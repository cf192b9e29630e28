/**
 * For responses Astro renders on demand (server islands, API, signed-in pages): compresses text
 * bodies by Accept-Encoding, and marks them `private, no-store` unless the route chose a
 * Cache-Control itself, because they depend on the session cookie and must not be shared by caches.
 *
 * Works by wrapping the Node response Astro writes to (writeHead, write, end): the body is
 * collected, then compressed in one piece off the main thread (zlib's pool). On-demand bodies
 * here are small (a menu fragment, JSON, one page), so buffering costs nothing a stream would save.
 * Streams are the exception: a `text/event-stream` answer goes out as it is written, untouched,
 * from its first byte.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { isCompressible, negotiateEncoding, type Encoding } from './content-encoding.ts';

export const ON_DEMAND_CACHE_CONTROL = 'private, no-store';

/** Answers that must reach the client as they are written, never held back. */
function isStream(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'text/event-stream';
}

/** Below this the compressed body would hardly be smaller, and the work would cost more than it saves. */
export const MIN_COMPRESS_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Per-request compression is for speed, not the last byte: brotli 3 / gzip 6. Measured on /todos
 * with 50 todos (68 KB of HTML, Node 24, one core): brotli 5 took 470 µs of CPU for 5,280 bytes,
 * brotli 3 155 µs for 6,073 (+15 %), brotli 1 78 µs for 7,202 — quality 3 is the knee; 4 and up
 * switch brotli to a slower match finder. On a 2-core server that CPU is taken from rendering,
 * even though zlib runs it off the main thread.
 */
function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 3,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          [constants.BROTLI_PARAM_LGWIN]: 18,
        },
      })
    : gzipAsync(body, { level: 6 });
}

type WriteCallback = (error?: Error | null) => void;

function toBuffer(chunk: unknown, encoding?: BufferEncoding): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk));
}

function appendVary(res: ServerResponse, value: string) {
  const existing = res.getHeader('Vary');
  const current = Array.isArray(existing) ? existing.join(', ') : existing === undefined ? '' : String(existing);
  if (current.split(',').some((v) => v.trim().toLowerCase() === value.toLowerCase() || v.trim() === '*')) return;
  res.setHeader('Vary', current ? `${current}, ${value}` : value);
}

/** The response exactly as it goes out (after compression), for whoever wants to keep a copy. */
export interface SentResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface OnDemandHooks {
  /** Sees the response exactly as it goes out (the island cache keeps a copy). */
  onSend?: (sent: SentResponse) => void;
  /**
   * Called once the route has written its whole answer (before compression), or has started a
   * stream: its work on the main thread is over (render-admission frees its slot).
   */
  onWritten?: () => void;
}

/**
 * Prepares `res` so whatever is written to it next is sent with the on-demand cache default and,
 * when it pays, compressed. Call before handing the request to Astro.
 */
export function compressOnDemandResponse(
  req: IncomingMessage,
  res: ServerResponse,
  { onSend, onWritten }: OnDemandHooks = {},
): void {
  const originalWriteHead = res.writeHead.bind(res) as (status: number) => ServerResponse;
  const originalWrite = res.write;
  const originalEnd = res.end.bind(res) as (chunk?: Buffer, cb?: () => void) => ServerResponse;
  const chunks: Buffer[] = [];
  let pendingStatus: number | undefined;
  let finishing = false;
  let passThrough = false;

  /** Once the headers are known: a stream is sent as it comes, this wrapper steps aside. */
  function choosePassThrough(status: number): boolean {
    if (!isStream(String(res.getHeader('Content-Type') ?? ''))) return false;
    passThrough = true;
    onWritten?.();
    if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', ON_DEMAND_CACHE_CONTROL);
    res.write = originalWrite;
    res.end = originalEnd as ServerResponse['end'];
    originalWriteHead(status);
    return true;
  }

  res.writeHead = function writeHead(status: number, ...rest: unknown[]) {
    const headers = (typeof rest[0] === 'string' ? rest[1] : rest[0]) as OutgoingHttpHeaders | string[] | undefined;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    }
    if (typeof rest[0] === 'string') res.statusMessage = rest[0];
    pendingStatus = status;
    choosePassThrough(status);
    return res;
  } as ServerResponse['writeHead'];

  res.write = function write(chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) {
    if (!passThrough && pendingStatus === undefined && choosePassThrough(res.statusCode)) {
      return (originalWrite as (...args: unknown[]) => boolean).call(res, chunk, encodingOrCallback, callback);
    }
    const encoding = typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : undefined;
    if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, encoding));
    const cb = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as WriteCallback | undefined;
    if (cb) queueMicrotask(() => cb(null));
    return true;
  } as ServerResponse['write'];

  res.end = function end(chunk?: unknown, encodingOrCallback?: unknown, callback?: unknown) {
    if (finishing) return res;
    finishing = true;
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = undefined;
    }
    const encoding = typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : undefined;
    if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, encoding));
    const cb = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as (() => void) | undefined;
    onWritten?.();
    void finish(cb);
    return res;
  } as ServerResponse['end'];

  async function finish(cb: (() => void) | undefined) {
    const status = pendingStatus ?? res.statusCode;
    let body: Buffer = Buffer.concat(chunks);
    if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', ON_DEMAND_CACHE_CONTROL);
    const hasBody = req.method !== 'HEAD' && status !== 204 && status !== 304 && status >= 200;
    if (hasBody && !res.hasHeader('Content-Encoding') && isCompressible(String(res.getHeader('Content-Type') ?? ''))) {
      appendVary(res, 'Accept-Encoding');
      const encoding =
        body.length >= MIN_COMPRESS_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : undefined;
      if (encoding) {
        try {
          body = await compress(body, encoding);
          res.setHeader('Content-Encoding', encoding);
        } catch (error) {
          console.error('[serving] compression failed, sending uncompressed:', error);
        }
      }
    }
    if (hasBody) res.setHeader('Content-Length', body.length);
    else res.removeHeader('Content-Length');
    if (res.destroyed) return;
    onSend?.({ status, headers: res.getHeaders(), body });
    originalWriteHead(status);
    originalEnd(hasBody ? body : undefined, cb);
  }
}
