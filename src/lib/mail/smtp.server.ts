/** Sends through any SMTP server (SMTP_URL), with nodemailer. */
import nodemailer from 'nodemailer';
import type { MailMessage } from './message.ts';
import { MailDeliveryError } from './errors.ts';

export interface SmtpOptions {
  url: string;
  from: string;
}

/** One pooled transporter per SMTP URL for the life of the process. */
const transporters = new Map<string, nodemailer.Transporter>();

function transporter(url: string): nodemailer.Transporter {
  let existing = transporters.get(url);
  if (!existing) {
    // Bounded waits: a dead SMTP server must fail the sign-in request, not hang it.
    existing = nodemailer.createTransport(url, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transporters.set(url, existing);
  }
  return existing;
}

export async function sendWithSmtp(message: MailMessage, options: SmtpOptions): Promise<void> {
  try {
    await transporter(options.url).sendMail({
      from: options.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  } catch (error) {
    // nodemailer's message names the server's answer; the URL (with its password) is not in it.
    throw new MailDeliveryError(`SMTP delivery failed: ${(error as Error).message}`);
  }
}
