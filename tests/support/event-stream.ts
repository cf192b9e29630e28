/**
 * A Server-Sent Events reader for HTTP tests: opens /api/todos/events with a cookie (and a
 * Last-Event-ID), parses what arrives, and lets a test wait for the next event of a name, or for
 * the server to end the stream.
 */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

export interface OpenStream {
  status: number;
  response: Response;
  /** Every event so far (comments are counted in `comments`). */
  events: SseEvent[];
  comments: number;
  /** The id of the latest block that carried one (what a browser would resume from). */
  lastId: string | undefined;
  /** Resolves with the next event named `name` that arrives after this call (or an earlier unread one). */
  next(name: string, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openEventStream(
  baseUrl: string,
  headers: Record<string, string> = {},
  path = '/api/todos/events',
): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(new URL(path, baseUrl), { headers, signal: abort.signal });
  const stream: OpenStream = {
    status: response.status,
    response,
    events: [],
    comments: 0,
    lastId: undefined,
    next: () => Promise.reject(new Error('not a stream')),
    ended: Promise.resolve(),
    close: () => abort.abort(),
  };
  if (response.status !== 200 || !response.body) return stream;

  let read = 0;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  stream.ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments++;
            else if (line.startsWith('id: ')) stream.lastId = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) {
              data = line.slice(6);
              hasData = true;
            }
          }
          if (hasData) stream.events.push({ event, id: stream.lastId, data });
          wake();
        }
      }
    } catch {
      // aborted by the test
    } finally {
      wake();
    }
  })();
  let finished = false;
  void stream.ended.then(() => (finished = true));

  stream.next = (name, timeoutMs = 2_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${name}" event within ${timeoutMs} ms (got ${JSON.stringify(stream.events)})`)),
        timeoutMs,
      );
      const look = () => {
        while (read < stream.events.length) {
          const candidate = stream.events[read++]!;
          if (candidate.event === name) {
            clearTimeout(timer);
            resolve(candidate);
            return;
          }
        }
        if (finished) {
          clearTimeout(timer);
          reject(new Error(`the stream ended before a "${name}" event`));
          return;
        }
        waiters.push(look);
      };
      look();
    });
  return stream;
}
