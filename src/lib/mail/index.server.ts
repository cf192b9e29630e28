/** Picks the mail transport from the configuration and sends sign-in messages through it. */
import type { MailTransport } from '#lib/config/config.server.ts';
import type { MailMessage } from './message.ts';
import { deliverToOutbox } from './outbox.server.ts';
import { sendWithResend } from './resend.server.ts';
import { sendWithSmtp } from './smtp.server.ts';

/** A one-line description for the startup log (never the API key); `mailbox`: is /dev/mailbox on. */
export function describeTransport(transport: MailTransport, mailbox = true): string {
  switch (transport.kind) {
    case 'resend':
      return `Resend (${transport.apiUrl}), from ${transport.from}`;
    case 'smtp': {
      const url = new URL(transport.url);
      return `SMTP (${url.protocol}//${url.host}), from ${transport.from}`;
    }
    case 'outbox':
      return mailbox
        ? 'local outbox (printed to this log and listed at /dev/mailbox)'
        : 'local outbox (printed to this log only: the dev mailbox is off)';
  }
}

export async function sendMail(transport: MailTransport, message: MailMessage): Promise<void> {
  switch (transport.kind) {
    case 'resend':
      return sendWithResend(message, transport);
    case 'smtp':
      return sendWithSmtp(message, transport);
    case 'outbox':
      return deliverToOutbox(message);
  }
}
