/** Local mode's outbox as JSON (`?to=` filters); 404 outside local mode. */
import type { APIRoute } from 'astro';
import { config } from '../../lib/config.server.ts';
import { json } from '../../lib/http.server.ts';
import { listOutbox } from '../../lib/mail/outbox.server.ts';

export const GET: APIRoute = ({ url }) => {
  if (config().mode !== 'local') return new Response('Not found', { status: 404 });
  return json(listOutbox(url.searchParams.get('to') ?? undefined));
};
