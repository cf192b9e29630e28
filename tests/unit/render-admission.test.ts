/**
 * Render admission (src/server/render-admission.ts) in the serving layer production runs, on a
 * real node:http server with a stand-in for Astro's handler that answers only when told to: no
 * more renders at once than the slots, the rest in arrival order, and no slot lost to a client
 * that left, a render cut short, or an event stream that stays open.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WAITING_PER_SLOT } from '#server/render-admission.ts';
import { createServingLayer } from '#server/serving.ts';

const clientDir = mkdtempSync(path.join(os.tmpdir(), 'render-admission-'));
afterAll(() => rmSync(clientDir, { recursive: true, force: true }));

/** The stand-in's view: which paths started rendering, in order, and a way to answer each. */
interface Renders {
  started: string[];
  answer(pathname: string): void;
}

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function serve(slots: number, astro?: http.RequestListener): Promise<{ url: string; renders: Renders }> {
  const pending = new Map<string, http.ServerResponse>();
  const renders: Renders = {
    started: [],
    answer(pathname) {
      pending.get(pathname)!.end(`answer for ${pathname}`);
    },
  };
  const handler: http.RequestListener =
    astro ??
    ((req, res) => {
      renders.started.push(req.url!);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      pending.set(req.url!, res);
    });
  const layer = createServingLayer(handler, clientDir, {
    securityHeaders: {},
    hostnames: new Set(['127.0.0.1']),
    renderConcurrency: slots,
  });
  const server = http.createServer((req, res) => layer(req, res, {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, renders };
}

/** Sends GET `pathname` on its own connection; resolves with the body, or never if aborted. */
function get(url: string, pathname: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}${pathname}`, { agent: false, signal }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += String(chunk)));
      response.on('end', () => resolve(body));
    });
    request.on('error', (error) => (error.name === 'AbortError' ? undefined : reject(error)));
  });
}

/** Lets the server take in what the sockets carried. */
async function until(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

/** Gives the server time to do something it shouldn't (start a render it must hold back). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('render admission', () => {
  it('renders no more requests at once than its slots, the waiting ones in arrival order', async () => {
    const { url, renders } = await serve(2);
    const answers = ['/a', '/b', '/c', '/d'].map((pathname) => get(url, pathname));
    await until(() => renders.started.length === 2);
    await settle();
    expect(renders.started).toEqual(['/a', '/b']);

    renders.answer('/b');
    await until(() => renders.started.length === 3);
    await settle();
    expect(renders.started).toEqual(['/a', '/b', '/c']);

    renders.answer('/a');
    await until(() => renders.started.length === 4);
    expect(renders.started).toEqual(['/a', '/b', '/c', '/d']);
    renders.answer('/c');
    renders.answer('/d');
    expect(await Promise.all(answers)).toEqual(['answer for /a', 'answer for /b', 'answer for /c', 'answer for /d']);
  });

  it('drops a waiting request whose client left, without rendering it or losing its slot', async () => {
    const { url, renders } = await serve(1);
    const first = get(url, '/first');
    await until(() => renders.started.length === 1);
    const leaving = new AbortController();
    void get(url, '/gone', leaving.signal);
    const third = get(url, '/third');
    await settle();
    leaving.abort();
    await settle();

    renders.answer('/first');
    await until(() => renders.started.length === 2);
    expect(renders.started).toEqual(['/first', '/third']);
    renders.answer('/third');
    expect(await first).toBe('answer for /first');
    expect(await third).toBe('answer for /third');
  });

  it('gives the slot back when the client leaves in the middle of a render', async () => {
    const { url, renders } = await serve(1);
    const leaving = new AbortController();
    void get(url, '/never-answered', leaving.signal);
    await until(() => renders.started.length === 1);
    const next = get(url, '/next');
    await settle();
    expect(renders.started).toEqual(['/never-answered']);

    leaving.abort();
    await until(() => renders.started.length === 2);
    renders.answer('/next');
    expect(await next).toBe('answer for /next');
  });

  it('answers 503 with Retry-After once too many requests wait: JSON under /api, a page elsewhere', async () => {
    const { url, renders } = await serve(1);
    void get(url, '/rendering');
    await until(() => renders.started.length === 1);
    const queued = Array.from({ length: WAITING_PER_SLOT }, (_, i) => get(url, `/waiting-${i}`));
    // Every waiting request has arrived once one more gets the refusal below.
    await settle();

    const api = await fetch(`${url}/api/todos`);
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('2');
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(await api.json()).toEqual({ error: { code: 'overloaded', message: expect.stringMatching(/too busy/) } });
    const page = await fetch(`${url}/todos`);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('Back in a moment');

    // The refused ones took no place in the queue: the waiting ones are all still served, in order.
    renders.answer('/rendering');
    for (let i = 0; i < WAITING_PER_SLOT; i++) {
      await until(() => renders.started.length === i + 2);
      renders.answer(`/waiting-${i}`);
    }
    expect(await Promise.all(queued)).toHaveLength(WAITING_PER_SLOT);
    expect(renders.started).not.toContain('/api/todos');
  });

  it('lets a request that is still sending its body in without a slot, so it holds back no render', async () => {
    const { url, renders } = await serve(1);
    const upload = http.request(`${url}/upload`, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '1000' },
    });
    upload.on('error', () => {});
    upload.write('text=slow');
    await until(() => renders.started.length === 1);
    try {
      const page = get(url, '/page');
      await until(() => renders.started.length === 2);
      renders.answer('/page');
      expect(await page).toBe('answer for /page');
    } finally {
      upload.destroy();
    }
  });

  it(
    'gives the slot back once an event stream has started, though the stream stays open',
    { timeout: 5000 },
    async () => {
      let streams = 0;
      const { url } = await serve(1, (req, res) => {
        if (req.url === '/events') {
          streams++;
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.write('data: open\n\n');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('page');
      });
      const stream = new AbortController();
      http.get(`${url}/events`, { agent: false, signal: stream.signal }).on('error', () => {});
      await until(() => streams === 1);
      try {
        expect(await get(url, '/page')).toBe('page');
      } finally {
        stream.abort();
      }
    },
  );
});
