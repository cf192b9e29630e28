/** Answers sent before the request has been read to its end (refusals). */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/**
 * Headers for an answer that goes out before the request's body has arrived: the connection ends
 * with it. Kept open, Node would read the rest of that body as the start of the next request on
 * the connection, and drop what the client sends next.
 */
export function closeIfBodyUnread(req: IncomingMessage): OutgoingHttpHeaders {
  return req.complete ? {} : { Connection: 'close' };
}
