/**
 * What may be compressed and how: the content types worth compressing, the file extensions they
 * come from, and the choice between brotli and gzip from a request's Accept-Encoding.
 * Shared by the build step that precompresses files and by the server that picks a variant.
 */

export type Encoding = 'br' | 'gzip';

/** Media types for the files a build writes; anything else is served as octet-stream. */
const TYPES_BY_EXTENSION: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function contentTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot >= 0 && TYPES_BY_EXTENSION[fileName.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/** Text formats: compressing them pays; images and fonts are compressed already. */
export function isCompressible(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/manifest+json' ||
    type === 'application/xml' ||
    type === 'application/javascript' ||
    type === 'image/svg+xml'
  );
}

/** Extensions of files the build precompresses. */
export function isCompressibleFile(fileName: string): boolean {
  return isCompressible(TYPES_BY_EXTENSION[fileName.slice(fileName.lastIndexOf('.')).toLowerCase()]);
}

/**
 * The encoding to answer with, from those `available`: brotli if the client accepts it, else gzip,
 * else none (identity). Honours q-values (`br;q=0` refuses brotli) and `*`.
 */
export function negotiateEncoding(
  acceptEncoding: string | string[] | undefined,
  available: readonly Encoding[] = ['br', 'gzip'],
): Encoding | undefined {
  if (!acceptEncoding || available.length === 0) return undefined;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') q = Number(value);
    }
    quality.set(name, Number.isFinite(q) ? q : 0);
  }
  const accepts = (name: Encoding) => (quality.get(name) ?? quality.get('*') ?? 0) > 0;
  for (const encoding of ['br', 'gzip'] as const) {
    if (available.includes(encoding) && accepts(encoding)) return encoding;
  }
  return undefined;
}
