/**
 * Local mode's mailbox: sign-in messages are kept in memory (newest first) and printed to the
 * server log, so a fresh clone can sign in with no email account. Exists only in local mode; the
 * routes that show it answer 404 otherwise.
 */
import type { MailMessage } from './message.ts';

export interface StoredMessage extends MailMessage {
  sentAt: string;
}

/** Enough for a development session; the oldest messages drop off first. */
const MAX_MESSAGES = 100;
const messages: StoredMessage[] = [];

export function deliverToOutbox(message: MailMessage): void {
  messages.unshift({ ...message, sentAt: new Date().toISOString() });
  messages.length = Math.min(messages.length, MAX_MESSAGES);
  // The link on its own line, so it can be copied from a terminal.
  console.log(`[mail] local outbox: sign-in link for ${message.to}:\n${message.url}\n`);
}

/** Messages, newest first, optionally only those to one address (case-insensitive). */
export function listOutbox(to?: string): StoredMessage[] {
  const wanted = to?.trim().toLowerCase();
  return wanted ? messages.filter((m) => m.to.toLowerCase() === wanted) : [...messages];
}
