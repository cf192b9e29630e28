import { db } from '#lib/db/index.server.ts';
import { apiRoute, methodNotAllowed } from '#lib/http/api.server.ts';
import { liveHub } from '#lib/live/index.server.ts';
import { openEventStream } from '#lib/live/event-stream.server.ts';

/** GET /api/todos/events: Server-Sent Events telling the page when the user's todos change (src/lib/live/). */
export const GET = apiRoute((context) => openEventStream(context, db, liveHub()));

export const ALL = methodNotAllowed(['GET']);
