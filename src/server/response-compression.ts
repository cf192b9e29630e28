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
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
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

/** What one response's wrapper holds: the route's chunks until the route ends. */
interface Pending {
  req: IncomingMessage;
  hooks: OnDemandHooks;
  chunks: Buffer[];
  status: number | undefined;
  finishing: boolean;
}

const PENDING = Symbol('on-demand response');
type Wrapped = ServerResponse & { [PENDING]?: Pending };

// The replacements installed on each response are these module-level functions, reading the
// response's state from `this`, never closures made per request: with per-request closures as
// `res.end`/`write`/`writeHead`, each request (everything the closures reach) survived every
// young-generation collection until a full one — 9.4 KB promoted per request against 0.5 now
// (README → Memory, round 7; most likely V8's call-site caches holding the last closure called).
const { writeHead: serverWriteHead, write: serverWrite, end: serverEnd } = ServerResponse.prototype;

/** Once the headers are known: a stream is sent as it comes, the wrapper steps aside. */
function choosePassThrough(res: Wrapped, pending: Pending, status: number): boolean {
  if (!isStream(String(res.getHeader('Content-Type') ?? ''))) return false;
  res[PENDING] = undefined;
  pending.hooks.onWritten?.();
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', ON_DEMAND_CACHE_CONTROL);
  res.writeHead = serverWriteHead;
  res.write = serverWrite;
  res.end = serverEnd;
  serverWriteHead.call(res, status);
  return true;
}

function writeHead(this: Wrapped, status: number, ...rest: unknown[]): ServerResponse {
  const pending = this[PENDING];
  if (!pending) return (serverWriteHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  const headers = (typeof rest[0] === 'string' ? rest[1] : rest[0]) as OutgoingHttpHeaders | string[] | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i]!, headers[i + 1]!);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) this.setHeader(name, value);
  }
  if (typeof rest[0] === 'string') this.statusMessage = rest[0];
  pending.status = status;
  choosePassThrough(this, pending, status);
  return this;
}

function write(this: Wrapped, chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
  const pending = this[PENDING];
  if (!pending || (pending.status === undefined && choosePassThrough(this, pending, this.statusCode))) {
    return (serverWrite as (...args: unknown[]) => boolean).call(this, chunk, encodingOrCallback, callback);
  }
  const encoding = typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : undefined;
  if (chunk !== undefined && chunk !== null) pending.chunks.push(toBuffer(chunk, encoding));
  const cb = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as WriteCallback | undefined;
  if (cb) queueMicrotask(() => cb(null));
  return true;
}

function end(this: Wrapped, chunk?: unknown, encodingOrCallback?: unknown, callback?: unknown): ServerResponse {
  const pending = this[PENDING];
  if (!pending)
    return (serverEnd as (...args: unknown[]) => ServerResponse).call(this, chunk, encodingOrCallback, callback);
  if (pending.finishing) return this;
  pending.finishing = true;
  if (typeof chunk === 'function') {
    callback = chunk;
    chunk = undefined;
  }
  const encoding = typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : undefined;
  if (chunk !== undefined && chunk !== null) pending.chunks.push(toBuffer(chunk, encoding));
  const cb = (typeof encodingOrCallback === 'function' ? encodingOrCallback : callback) as (() => void) | undefined;
  pending.hooks.onWritten?.();
  void finish(this, pending, cb);
  return this;
}

async function finish(res: Wrapped, pending: Pending, cb: (() => void) | undefined) {
  const { req } = pending;
  const status = pending.status ?? res.statusCode;
  let body: Buffer = Buffer.concat(pending.chunks);
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', ON_DEMAND_CACHE_CONTROL);
  const hasBody = req.method !== 'HEAD' && status !== 204 && status !== 304 && status >= 200;
  if (hasBody && !res.hasHeader('Content-Encoding') && isCompressible(String(res.getHeader('Content-Type') ?? ''))) {
    appendVary(res, 'Accept-Encoding');
    const encoding = body.length >= MIN_COMPRESS_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : undefined;
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
  pending.hooks.onSend?.({ status, headers: res.getHeaders(), body });
  serverWriteHead.call(res, status);
  (serverEnd as (chunk: Buffer | undefined, cb?: () => void) => ServerResponse).call(
    res,
    hasBody ? body : undefined,
    cb,
  );
}

/**
 * Prepares `res` so whatever is written to it next is sent with the on-demand cache default and,
 * when it pays, compressed. Call before handing the request to Astro.
 */
export function compressOnDemandResponse(req: IncomingMessage, res: ServerResponse, hooks: OnDemandHooks = {}): void {
  (res as Wrapped)[PENDING] = { req, hooks, chunks: [], status: undefined, finishing: false };
  res.writeHead = writeHead as ServerResponse['writeHead'];
  res.write = write as ServerResponse['write'];
  res.end = end as ServerResponse['end'];
}
