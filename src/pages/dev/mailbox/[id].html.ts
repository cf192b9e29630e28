/**
 * One sent email's HTML exactly as the transport received it, for the local mailbox's preview
 * frame. Email HTML relies on inline styles, so it gets a policy of its own: styles and images
 * only, no scripts, framed by this site alone. 404 outside local mode.
 */
import type { APIRoute } from 'astro';
import { config } from '../../../lib/config.server.ts';
import { outboxMessage } from '../../../lib/mail/outbox.server.ts';

export const GET: APIRoute = ({ params }) => {
  const message = config().mode === 'local' ? outboxMessage(Number(params.id)) : undefined;
  if (!message) return new Response('Not found', { status: 404 });
  return new Response(message.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
      'X-Frame-Options': 'SAMEORIGIN',
    },
  });
};
