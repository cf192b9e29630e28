/**
 * Streams pass the serving layer as they are written: a `text/event-stream` answer reaches the
 * client event by event, never held back by compression or the island copy (server-sent events
 * depend on it). Checked for the layer production runs and for the library variants the bench
 * compares, with a stand-in for Astro's handler on a real node:http server.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServingLayer } from '#server/serving.ts';

const clientDir = mkdtempSync(path.join(os.tmpdir(), 'serving-streams-'));
afterAll(() => rmSync(clientDir, { recursive: true, force: true }));

/** Starts the layer in front of `astro`; returns its URL and a way to stop it. */
async function serve(variant: 'own' | 'sirv' | 'stock', astro: http.RequestListener) {
  const layer = createServingLayer(astro, clientDir, {
    securityHeaders: { 'X-Content-Type-Options': 'nosniff' },
    hostnames: new Set(['127.0.0.1']),
    renderConcurrency: 4,
    variant,
  });
  const server = http.createServer((req, res) => layer(req, res, { 'X-Request-Id': 'r-1' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

describe.each(['own', 'sirv', 'stock'] as const)('serving layer (%s)', (variant) => {
  it('sends each event of a text/event-stream answer before the answer ends', { timeout: 5000 }, async () => {
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const app = await serve(variant, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      // Big enough to be worth compressing, were it compressed.
      res.write(`data: ${'first '.repeat(400)}\n\n`);
      void finished.then(() => res.end('data: last\n\n'));
    });
    try {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
        http.get(`${app.url}/api/events`, { headers: { 'accept-encoding': 'br, gzip' } }, resolve).on('error', reject),
      );
      expect(response.headers['content-type']).toBe('text/event-stream');
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['x-request-id']).toBe('r-1');
      // The first event arrives while the handler still holds the answer open.
      const first = await new Promise<string>((resolve) =>
        response.once('data', (chunk: Buffer) => resolve(chunk.toString())),
      );
      expect(first).toMatch(/^data: first /);
      finish();
      let rest = '';
      for await (const chunk of response) rest += String(chunk);
      expect(rest).toContain('data: last');
    } finally {
      finish();
      await app.stop();
    }
  });
});
