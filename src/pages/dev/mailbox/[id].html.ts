/**
 * One sent email's HTML exactly as the transport received it, for the local mailbox's preview
 * frame. Email HTML relies on inline styles, so it gets a policy of its own: styles and images
 * only, no scripts, framed by this site alone. 404 unless mayReadMailbox.
 */
import type { APIRoute } from 'astro';
import { outboxMessage } from '#lib/mail/outbox.server.ts';
import { mailboxNotFound, mayReadMailbox } from '#lib/mail/mailbox-access.server.ts';

export const GET: APIRoute = ({ params, request, clientAddress }) => {
  const message = mayReadMailbox(request, clientAddress) ? outboxMessage(Number(params.id)) : undefined;
  if (!message) return mailboxNotFound();
  return new Response(message.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
      'X-Frame-Options': 'SAMEORIGIN',
    },
  });
};
