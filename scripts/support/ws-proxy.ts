/**
 * WebSocket-to-TCP proxy, the way Neon's own driver tests reach a local Postgres: the Neon
 * serverless driver opens `ws://host:port/v1?address=pghost:pgport` and this pipes the bytes to
 * that Postgres. Only loopback targets are allowed, so it can never be used to reach elsewhere.
 */
import net from 'node:net';
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
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function startWsProxy(port = 0): Promise<WsProxy> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/v1' });
    let received = 0;
    wss.on('error', reject);
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
      const tcp = net.connect(targetPort, host);
      // Small protocol messages must not wait for Nagle's algorithm (40 ms stalls with delayed ACKs).
      tcp.setNoDelay(true);
      socket.on('message', (data: Buffer) => {
        received++;
        tcp.write(data); // net queues writes until connected
      });
      tcp.on('data', (data) => socket.send(data));
      socket.on('close', () => tcp.destroy());
      socket.on('error', () => tcp.destroy());
      tcp.on('close', () => socket.close());
      tcp.on('error', () => socket.terminate());
    });
    wss.on('listening', () => {
      const { port: actual } = wss.address() as net.AddressInfo;
      resolve({
        port: actual,
        address: `127.0.0.1:${actual}/v1`,
        messagesFromClients: () => received,
        close: () =>
          new Promise((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}
