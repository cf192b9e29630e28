/**
 * The bench's simulated network distance (scripts/support/ws-proxy.ts): each message waits half the
 * round trip each way, arrives in the order sent, and the count and delay are reachable over HTTP
 * (the bench runs the proxy in its own process). A TCP echo server stands in for Postgres.
 */
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type RawData } from 'ws';
import { startWsProxy, type WsProxy } from '#scripts/support/ws-proxy.ts';

let echo: net.Server;
let proxy: WsProxy;
let socket: WebSocket;
const replies: Array<{ text: string; at: number }> = [];

beforeAll(async () => {
  echo = net.createServer((connection) => connection.pipe(connection)).listen(0, '127.0.0.1');
  await once(echo, 'listening');
  proxy = await startWsProxy(0, 0);
  socket = new WebSocket(`ws://${proxy.address}?address=127.0.0.1:${(echo.address() as AddressInfo).port}`);
  socket.on('message', (data: RawData) => replies.push({ text: data.toString(), at: performance.now() }));
  await once(socket, 'open');
});
afterAll(async () => {
  socket?.close();
  await proxy?.close();
  await new Promise((resolve) => echo?.close(resolve));
});

/** Sends each text as one message and waits until as many characters came back. */
async function exchange(texts: string[]): Promise<{ sentAt: number; received: string; firstAt: number }> {
  replies.length = 0;
  const sentAt = performance.now();
  for (const text of texts) socket.send(Buffer.from(text));
  const length = texts.join('').length;
  for (let i = 0; i < 400 && replies.map((r) => r.text).join('').length < length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { sentAt, received: replies.map((r) => r.text).join(''), firstAt: replies[0]?.at ?? Infinity };
}

describe('ws-proxy network distance', () => {
  it('passes messages through with no distance', async () => {
    // No timing asserted here: on a busy machine any bound would be flaky.
    expect((await exchange(['ping'])).received).toBe('ping');
  });

  it('holds each message half the round trip each way, in order, through a change of delay', async () => {
    const response = await fetch(`http://127.0.0.1:${proxy.port}/rtt?ms=60`, { method: 'PUT' });
    expect(response.status).toBe(204);
    const texts = Array.from({ length: 40 }, (_, i) => `<${i}>`);
    const { sentAt, received, firstAt } = await exchange(texts);
    expect(received).toBe(texts.join(''));
    expect(firstAt - sentAt).toBeGreaterThanOrEqual(59);

    // Messages queued under one delay still leave before later ones sent under a shorter one.
    replies.length = 0;
    socket.send(Buffer.from('slow'));
    proxy.setRtt(0);
    socket.send(Buffer.from('fast'));
    for (let i = 0; i < 100 && replies.map((r) => r.text).join('').length < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(replies.map((r) => r.text).join('')).toBe('slowfast');
  });

  it('counts the messages clients sent, over HTTP as well', async () => {
    const before = proxy.messagesFromClients();
    await exchange(['a', 'b', 'c']);
    expect(proxy.messagesFromClients() - before).toBe(3);
    const stats = (await (await fetch(`http://127.0.0.1:${proxy.port}/stats`)).json()) as {
      messagesFromClients: number;
    };
    expect(stats.messagesFromClients).toBe(proxy.messagesFromClients());
    expect((await fetch(`http://127.0.0.1:${proxy.port}/rtt?ms=-1`, { method: 'PUT' })).status).toBe(404);
  });
});
