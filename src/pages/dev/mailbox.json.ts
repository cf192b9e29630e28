/** Local mode's outbox as JSON (`?to=` filters); 404 unless mayReadMailbox. */
import type { APIRoute } from 'astro';
import { json } from '#lib/http/api.server.ts';
import { listOutbox } from '#lib/mail/outbox.server.ts';
import { mailboxNotFound, mayReadMailbox } from '#lib/mail/mailbox-access.server.ts';

export const GET: APIRoute = ({ url, request, clientAddress }) => {
  if (!mayReadMailbox(request, clientAddress)) return mailboxNotFound();
  return json(listOutbox(url.searchParams.get('to') ?? undefined));
};
