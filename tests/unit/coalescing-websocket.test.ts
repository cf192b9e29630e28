/** The Neon driver's socket: a synchronous burst of writes is one message, in order, with no timer. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type RawData } from 'ws';
import { CoalescingWebSocket } from '#lib/db/coalescing-websocket.server.ts';

describe('CoalescingWebSocket', () => {
  let server: WebSocketServer;
  let url: string;
  const received: string[] = [];
  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket) => socket.on('message', (data: RawData) => received.push(data.toString())));
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function until(count: number): Promise<void> {
    for (let i = 0; i < 200 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('sends one synchronous burst as one message, the next burst as the next, nothing lost or reordered', async () => {
    received.length = 0;
    const socket = new CoalescingWebSocket(url);
    await once(socket, 'open');
    for (const part of ['Parse ', 'Bind ', 'Describe ', 'Execute ', 'Sync']) socket.send(Buffer.from(part));
    await Promise.resolve(); // the burst is sent in a microtask: not before the writes end
    socket.send(new Uint8Array(Buffer.from('second')));
    await until(2);
    expect(received).toEqual(['Parse Bind Describe Execute Sync', 'second']);
    socket.close();
  });

  it('sends text and writes with options as they are, after what was already pending', async () => {
    received.length = 0;
    const socket = new CoalescingWebSocket(url);
    await once(socket, 'open');
    socket.send(Buffer.from('a'));
    socket.send(Buffer.from('b'));
    socket.send('text');
    socket.send(Buffer.from('c'), { binary: true });
    socket.send(Buffer.from('d'));
    await until(4);
    expect(received).toEqual(['ab', 'text', 'c', 'd']);
    socket.close();
  });

  it('does not negotiate permessage-deflate, even with a server that offers it', async () => {
    const deflating = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
    await once(deflating, 'listening');
    const socket = new CoalescingWebSocket(`ws://127.0.0.1:${(deflating.address() as AddressInfo).port}`);
    await once(socket, 'open');
    expect(socket.extensions).toBe('');
    socket.close();
    await new Promise<void>((resolve) => deflating.close(() => resolve()));
  });

  it('drops a burst pending when the socket closed, without throwing', async () => {
    const socket = new CoalescingWebSocket(url);
    await once(socket, 'open');
    socket.terminate();
    expect(() => socket.send(Buffer.from('late'))).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
});
