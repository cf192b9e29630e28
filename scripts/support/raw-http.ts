/** Raw HTTP GETs (node:http, no automatic decompression) for tests that look at the bytes on the wire. */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (possibly compressed). */
  body: Buffer;
  /** The body decoded according to Content-Encoding. */
  text(): string;
}

/** `headers` go out as given (a `host` header replaces the one node:http would send). */
export function rawRequest(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = response.headers['content-encoding'];
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body,
          text: () =>
            (encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body).toString(
              'utf8',
            ),
        });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
