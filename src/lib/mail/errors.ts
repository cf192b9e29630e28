/** A mail transport could not hand the message over (HTTP error, refused connection, timeout). */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
}
