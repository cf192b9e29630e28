/**
 * Local mode's mailbox: sign-in messages are kept in memory (newest first) and printed to the
 * server log, so a fresh clone can sign in with no email account. Exists only in local mode; the
 * routes that show it answer 404 otherwise.
 */
import type { MailMessage } from './message.ts';

export interface StoredMessage extends MailMessage {
  /** Increasing number, for /dev/mailbox/<id>.html. */
  id: number;
  sentAt: string;
}

/** Enough for a development session; the oldest messages drop off first. */
const MAX_MESSAGES = 100;
const messages: StoredMessage[] = [];
let lastId = 0;

export function deliverToOutbox(message: MailMessage): void {
  lastId += 1;
  messages.unshift({ ...message, id: lastId, sentAt: new Date().toISOString() });
  messages.length = Math.min(messages.length, MAX_MESSAGES);
  // The link on its own line, so it can be copied from a terminal. Both are JSON-escaped: a CR or
  // LF in them must not start a log line of its own (the URL is already percent-encoded).
  console.log(
    `[mail] local outbox: sign-in link for ${JSON.stringify(message.to)}:\n${message.url.replace(/[\r\n]/g, encodeURIComponent)}\n`,
  );
}

/** Messages, newest first, optionally only those to one address (case-insensitive). */
export function listOutbox(to?: string): StoredMessage[] {
  const wanted = to?.trim().toLowerCase();
  return wanted ? messages.filter((m) => m.to.toLowerCase() === wanted) : [...messages];
}

/** One message by id, if it is still kept. */
export function outboxMessage(id: number): StoredMessage | undefined {
  return messages.find((m) => m.id === id);
}
