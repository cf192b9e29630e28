/**
 * The bench's live-sync row (issue #14): what 500 open event streams cost one process.
 * - fan-out: one user holds `STREAMS` streams on one process; a PATCH of theirs is told to every
 *   stream (NOTIFY → the process's LISTEN connection → the hub); per change, the time from sending
 *   the PATCH to the last stream receiving its `change` event; p50/p99 over `ROUNDS` changes, and
 *   the p99 of every single delivery;
 * - memory: the process's RSS before and after opening the streams, per stream;
 * - the pages: GET /todos throughput without streams and with them open and idle, alternating
 *   twice (the machine drifts), compared by their means.
 * Runs against its own app process (`LIVE_STREAMS_PER_USER` raised so one user can hold them all).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const STREAMS = 500;
const ROUNDS = 20;

export interface LiveBench {
  streams: number;
  rounds: number;
  lastDeliveryP50Ms: number;
  lastDeliveryP99Ms: number;
  deliveryP99Ms: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPerStreamKiB: number;
  /** GET /todos req/s (10 connections), runs alternating without and with the idle streams. */
  todosReqPerSecWithout: number[];
  todosReqPerSecWith: number[];
  /** With streams / without, 1 = no cost (the issue asks for ≥ 0.9). */
  todosRatio: number;
}

const rssKiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

interface Listener {
  /** Resolves with the time the next `change` event arrived. */
  nextChange(): Promise<number>;
  close(): void;
}

async function listen(url: string, cookie: string): Promise<Listener> {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/todos/events`, { headers: { cookie }, signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}`);
  let waiting: ((at: number) => void) | undefined;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value.includes('event: change') && waiting) {
          const resolve = waiting;
          waiting = undefined;
          resolve(performance.now());
        }
      }
    } catch {
      // closed by the bench
    }
  })();
  return {
    nextChange: () => new Promise((resolve) => (waiting = resolve)),
    close: () => abort.abort(),
  };
}

async function todosThroughput(url: string, cookie: string, seconds: number): Promise<number> {
  const run = (duration: number) =>
    autocannon({ url: `${url}/todos`, connections: 10, duration, headers: { cookie, 'accept-encoding': 'br, gzip' } });
  await run(1); // warm-up
  return (await run(seconds)).requests.average;
}

/** Measures the row against an app at `url` (process `pid`) where `cookie` is a session of the user owning `todoPath`. */
export async function measureLiveStreams(options: {
  url: string;
  pid: number;
  cookie: string;
  origin: string;
  todoPath: string;
  seconds: number;
}): Promise<LiveBench> {
  const { url, pid, cookie, origin, todoPath, seconds } = options;
  const openAll = async () => {
    const listeners: Listener[] = [];
    for (let i = 0; i < STREAMS; i += 50) {
      listeners.push(...(await Promise.all(Array.from({ length: 50 }, () => listen(url, cookie)))));
    }
    return listeners;
  };
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // First, on a process that has served /todos but never held a stream: memory, then fan-out.
  await todosThroughput(url, cookie, 1);
  await settle(1_000);
  const rssBefore = rssKiB(pid);
  const listeners = await openAll();
  await settle(2_000);
  const rssAfter = rssKiB(pid);

  const lastDeliveries: number[] = [];
  const deliveries: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const arrivals = Promise.all(listeners.map((l) => l.nextChange()));
    const sent = performance.now();
    const response = await fetch(`${url}${todoPath}`, {
      method: 'PATCH',
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ completed: round % 2 === 0 }),
    });
    if (response.status !== 200) throw new Error(`PATCH answered ${response.status}`);
    const times = (await arrivals).map((at) => at - sent);
    deliveries.push(...times);
    lastDeliveries.push(Math.max(...times));
    await settle(100);
  }
  for (const l of listeners) l.close();
  // The machine drifts (shared CPUs): runs without and with streams alternate, twice each.
  const without: number[] = [];
  const withStreams: number[] = [];
  for (let i = 0; i < 2; i++) {
    without.push(await todosThroughput(url, cookie, seconds));
    const idle = await openAll();
    await settle(1_000);
    withStreams.push(await todosThroughput(url, cookie, seconds));
    for (const l of idle) l.close();
    await settle(1_000);
  }

  lastDeliveries.sort((a, b) => a - b);
  deliveries.sort((a, b) => a - b);
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  return {
    streams: STREAMS,
    rounds: ROUNDS,
    lastDeliveryP50Ms: quantile(lastDeliveries, 0.5),
    lastDeliveryP99Ms: quantile(lastDeliveries, 0.99),
    deliveryP99Ms: quantile(deliveries, 0.99),
    rssBeforeMiB: rssBefore / 1024,
    rssAfterMiB: rssAfter / 1024,
    rssPerStreamKiB: (rssAfter - rssBefore) / STREAMS,
    todosReqPerSecWithout: without,
    todosReqPerSecWith: withStreams,
    todosRatio: mean(withStreams) / mean(without),
  };
}
