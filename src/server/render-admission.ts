/**
 * Admission for on-demand renders: at most `limit` requests inside Astro at once, the rest wait
 * their turn in arrival order.
 *
 * Why: Node renders on one thread, so letting every open connection start its render at once
 * makes no page faster. It interleaves 50 renders' awaits, so each one finishes late and a few
 * very late (p99 at 50 connections on /todos: 925–1,126 ms without this gate, 298–375 ms with 4
 * slots, throughput the same), and it keeps all their garbage alive at once (peak RSS 20–40 MiB
 * higher). A few slots are enough to overlap one request's database round trip with another's
 * rendering; a far database needs more (RENDER_CONCURRENCY).
 *
 * A slot is held from the start of the render until the route has written its answer (`done`,
 * before compression, which runs off the main thread) or the connection closed, whichever comes
 * first. A request whose client went away while it waited is dropped without rendering.
 *
 * Requests that carry a body (form posts, API writes: small answers, no page render) go in at
 * once, without a slot: Astro reads the body as it arrives, and a client trickling an upload
 * would otherwise hold a slot for as long as the server's request timeout, and a few of them
 * every page render.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Runs `render` now or when a slot frees up. `render` gets `done`, to call once the answer is
 * written; a slot whose connection closes is given back without it.
 */
export type RenderAdmission = (req: IncomingMessage, res: ServerResponse, render: (done: () => void) => void) => void;

/** How many requests may wait per slot before new ones are refused (`tooBusy`). */
export const WAITING_PER_SLOT = 64;

/**
 * `tooBusy` answers a request that finds `limit × WAITING_PER_SLOT` others already waiting (about
 * a second of renders queued for a list page): a quick 503 the client can retry, or a load
 * balancer send elsewhere, beats a wait that grows without bound.
 */
export function createRenderAdmission(
  limit: number,
  tooBusy: (req: IncomingMessage, res: ServerResponse) => void,
): RenderAdmission {
  let rendering = 0;
  const waiting: Array<() => void> = [];
  const maxWaiting = limit * WAITING_PER_SLOT;

  const startNext = () => {
    while (rendering < limit && waiting.length > 0) waiting.shift()!();
  };

  return (req, res, render) => {
    if (carriesBody(req)) return render(() => {});
    const start = () => {
      if (res.closed || req.destroyed) return;
      rendering++;
      let held = true;
      const done = () => {
        if (!held) return;
        held = false;
        rendering--;
        startNext();
      };
      res.once('close', done);
      render(done);
    };
    if (rendering < limit) start();
    else if (waiting.length < maxWaiting) waiting.push(start);
    else tooBusy(req, res);
  };
}

function carriesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}
