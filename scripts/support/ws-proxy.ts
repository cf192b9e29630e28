/**
 * WebSocket-to-TCP proxy, the way Neon's own driver tests reach a local Postgres: the Neon
 * serverless driver opens `ws://host:port/v1?address=pghost:pgport` and this pipes the bytes to
 * that Postgres. Only loopback targets are allowed, so it can never be used to reach elsewhere.
 *
 * It can also stand for network distance (the bench's `--rtt`): every message waits half the
 * round-trip time on its way to Postgres and half on its way back, in order. And it counts the
 * messages the clients send, which with the app's driver are database round trips. When the proxy
 * runs in another process (the bench), `GET /stats` answers the count and `PUT /rtt?ms=N` changes
 * the delay: plain HTTP on the same loopback port.
 */
import http from 'node:http';
import type net from 'node:net';
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

export interface WsProxy {
  port: number;
  /** The value for NEON_WS_PROXY (`127.0.0.1:port/v1`). */
  address: string;
  /**
   * WebSocket messages received from clients so far. The app's driver sends each query as one
   * message (src/lib/db/coalescing-websocket.server.ts), so this counts database round trips.
   */
  messagesFromClients(): number;
  /** Simulated network distance from now on (ms for a message there and its answer back). */
  setRtt(ms: number): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Node's timers count whole milliseconds of a cached loop clock, so one may fire a little before
 * or up to a millisecond after the wanted time: wake at the whole millisecond at or before the
 * due time, deliver what is due within half a millisecond (early and late errors about cancel out
 * on a quiet machine; timers run late on a busy one, and the bench prints what a setting really
 * added), and wait again for the rest.
 */
const wait = (ms: number) => Math.max(1, Math.floor(ms));

/**
 * A one-way link `delay()` ms long: `send(item)` hands `item` to `deliver` that much later, in the
 * order sent. One timer for the whole queue (never one per message, which could reorder messages
 * whose timers fire in the same tick, and costs a timer each); Node's timers have millisecond
 * resolution, so an item is delivered once it is due to about half a millisecond.
 */
function delayLine<T>(delay: () => number, deliver: (item: T) => void): (item: T) => void {
  const queue: Array<{ due: number; item: T }> = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const now = performance.now();
    let sent = 0;
    while (sent < queue.length && queue[sent]!.due <= now + 0.5) deliver(queue[sent++]!.item);
    queue.splice(0, sent);
    if (queue.length > 0) timer = setTimeout(flush, wait(queue[0]!.due - now));
  };
  return (item) => {
    const ms = delay();
    // Nothing waiting and no distance: straight through, no timer, no allocation.
    if (ms <= 0 && queue.length === 0) return deliver(item);
    queue.push({ due: performance.now() + ms, item });
    timer ??= setTimeout(flush, wait(ms));
  };
}

export function startWsProxy(port = 0, rttMs = 0): Promise<WsProxy> {
  let received = 0;
  let oneWay = rttMs / 2;
  const setRtt = (ms: number) => {
    oneWay = ms / 2;
  };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://proxy');
    const ms = Number(url.searchParams.get('ms'));
    if (request.method === 'GET' && url.pathname === '/stats') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ messagesFromClients: received, rttMs: oneWay * 2 }));
    } else if (request.method === 'PUT' && url.pathname === '/rtt' && Number.isFinite(ms) && ms >= 0) {
      setRtt(ms);
      response.writeHead(204).end();
    } else {
      response.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ server, path: '/v1' });
  wss.on('connection', (socket, request) => {
    const target = new URL(request.url ?? '', 'http://proxy').searchParams.get('address') ?? '';
    const separator = target.lastIndexOf(':');
    const host = target.slice(0, separator);
    const targetPort = Number(target.slice(separator + 1));
    if (!LOOPBACK.has(host) || !Number.isInteger(targetPort)) {
      socket.close(1008, 'only loopback Postgres targets are allowed');
      return;
    }
    // Plain message and data events rather than a stream pair: fewer copies and ticks per
    // message, and the proxy shares the CPUs with everything the bench measures.
    const tcp = connect(targetPort, host);
    // Small protocol messages must not wait for Nagle's algorithm (40 ms stalls with delayed ACKs).
    tcp.setNoDelay(true);
    const toPostgres = delayLine<Buffer>(
      () => oneWay,
      (data) => tcp.write(data), // net queues writes until connected
    );
    const toClient = delayLine<Buffer>(
      () => oneWay,
      (data) => socket.send(data),
    );
    socket.on('message', (data: Buffer) => {
      received++;
      toPostgres(data);
    });
    tcp.on('data', toClient);
    socket.on('close', () => tcp.destroy());
    socket.on('error', () => tcp.destroy());
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.terminate());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as net.AddressInfo;
      resolve({
        port: actual,
        address: `127.0.0.1:${actual}/v1`,
        messagesFromClients: () => received,
        setRtt,
        close: () =>
          new Promise((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
