/**
 * Stands in for Resend's HTTP API (the one network edge the tests cannot reach): records each
 * POST /emails exactly as received and answers like Resend, or with a failure when told to.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ResendCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: { from: string; to: string[]; subject: string; html: string; text: string };
}

export interface FakeResend {
  url: string;
  calls: ResendCall[];
  /** Answer the next POSTs with this status instead of 200. */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export function startFakeResend(): Promise<FakeResend> {
  const calls: ResendCall[] = [];
  let failure: number | null = null;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      if (failure !== null) {
        res.writeHead(failure, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: failure, name: 'internal_server_error', message: 'fake failure' }));
        return;
      }
      calls.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `fake-${calls.length}` }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        calls,
        failWith: (status) => (failure = status),
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
