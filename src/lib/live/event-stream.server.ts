/**
 * GET /api/todos/events: the signed-in user's live stream (Server-Sent Events, see hub.server.ts).
 * One statement at the start (the session CTE, session-owner.server.ts), then none while it is
 * open: heartbeats are written from memory and sessions are re-checked in the hub's batched query.
 */
import type { APIContext } from 'astro';
import { requestOwner, settleSession, type MeColumns } from '#lib/auth/session-owner.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import type { Queryable } from '#lib/db/index.server.ts';
import { HttpError } from '#lib/http/api.server.ts';
import { PRIVATE_NO_STORE } from '#lib/http/cache-control.ts';
import type { LiveHub, Refusal } from './hub.server.ts';

/** A `Last-Event-ID` (or `?since=`, the time the page's list was read): milliseconds, else none. */
export function parseSince(value: string | null): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

const limitError = (refusal: Refusal): HttpError =>
  refusal === 'user'
    ? new HttpError(429, 'too_many_streams', 'Too many open pages for this account: close some tabs and reload.', {
        'Retry-After': '30',
      })
    : new HttpError(503, 'streams_full', 'This server has too many open live pages; reload in a moment.', {
        'Retry-After': '30',
      });

/** Opens the stream for the request's session, or throws the HttpError to answer (401, 429, 503). */
export async function openEventStream(context: APIContext, database: Queryable, hub: LiveHub): Promise<Response> {
  const owner = requestOwner(context.cookies);
  if (!owner) throw unauthorized();
  if (!hub.hasRoom()) throw limitError('process');
  const { rows } = await database.query<MeColumns>(`WITH ${owner.cte} SELECT * FROM me`, [...owner.params]);
  owner.seen(rows[0]);
  const session = settleSession(context.cookies, owner);
  if (!session) throw unauthorized();

  const { request, url } = context;
  const since = parseSince(request.headers.get('last-event-id')) ?? parseSince(url.searchParams.get('since'));
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;
  let remove = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c; // start() runs within the constructor: set before hub.open below writes
    },
    cancel() {
      // The client went away (Astro cancels the body when the connection closes).
      ended = true;
      remove();
    },
  });
  const write = (chunk: string) => {
    if (!ended) controller.enqueue(encoder.encode(chunk));
  };
  const end = () => {
    if (ended) return;
    ended = true;
    controller.close();
  };
  const opened = hub.open(session.user.id, hashSessionToken(session.token), since, write, end);
  if ('refused' in opened) throw limitError(opened.refused);
  remove = opened.remove;
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': PRIVATE_NO_STORE,
      // nginx and some proxies hold back responses unless told not to.
      'X-Accel-Buffering': 'no',
    },
  });
}

const unauthorized = () => new HttpError(401, 'unauthorized', 'Sign in to use this endpoint.');
