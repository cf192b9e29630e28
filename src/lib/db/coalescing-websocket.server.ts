/**
 * The WebSocket the Neon driver runs on: each burst of writes leaves as one message, without
 * waiting for a timer.
 *
 * node-postgres writes a parameterized query as five protocol messages (Parse, Bind, Describe,
 * Execute, Sync) in one synchronous burst. The driver's own `coalesceWrites` joins such a burst,
 * but sends it from `setTimeout(0)`, which Node clamps to at least 1 ms: on loopback that timer
 * was most of a query's time (2.5 ms a query with it, 0.9 ms with this). Here the burst is sent
 * from a microtask instead, once the synchronous writes are done and before any other I/O: one
 * message per burst as before, no timer. neon.server.ts turns the driver's coalescing off for it.
 *
 * It also never offers permessage-deflate (the ws client's default): Postgres messages are small,
 * and compressing each one on zlib's thread pool would add latency to every query.
 */
import WebSocket from 'ws';

export class CoalescingWebSocket extends WebSocket {
  #pending: Uint8Array[] = [];

  /** The driver passes the address only. */
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols, { perMessageDeflate: false });
  }

  override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
    if (rest.length > 0 || !(data instanceof Uint8Array)) {
      // Not the driver's plain binary write: keep the order, send it as it is.
      this.#flush();
      (super.send as (...args: unknown[]) => void)(data, ...rest);
      return;
    }
    if (this.#pending.length === 0) queueMicrotask(() => this.#flush());
    this.#pending.push(data);
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const burst = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    this.#pending = [];
    // After a close, ws drops the data (there is no callback to report to); the driver sees the close.
    super.send(burst);
  }
}
