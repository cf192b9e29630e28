/** Sends through Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email). */
import type { MailMessage } from './message.ts';
import { MailDeliveryError } from './errors.ts';

export interface ResendOptions {
  apiKey: string;
  from: string;
  apiUrl: string;
  /** Give up after this long; a hung request must not hold the sign-in form forever. */
  timeoutMs?: number;
}

export async function sendWithResend(message: MailMessage, options: ResendOptions): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${options.apiUrl.replace(/\/+$/, '')}/emails`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        from: options.from,
        to: [message.to],
        subject: message.subject,
        html: message.html,
        text: message.text,
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new MailDeliveryError(`Resend request failed: ${(error as Error).message}`);
  }
  if (!response.ok) {
    // Resend's error body names the problem (unverified domain, bad key); it holds no secret.
    const detail = (await response.text().catch(() => '')).slice(0, 300);
    throw new MailDeliveryError(`Resend answered ${response.status}: ${detail}`);
  }
}
