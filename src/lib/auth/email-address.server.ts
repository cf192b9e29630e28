/**
 * The one rule for an email address, wherever one comes in: the sign-in form, Auth.js, the pending
 * cookie, the confirm page, the account-deletion confirmation and `npm run admin`. Auth.js stores
 * what this returns, so every lookup must go through it too, or a user typed differently is "unknown".
 */
import { z } from 'zod';

const emailSchema = z.email().max(254);

/**
 * The address as Auth.js will store it (NFKC, trimmed, lowercased), or null when it isn't one.
 * People type addresses in any case (and phones offer full-width letters); we store one form.
 */
export function normalizeEmail(input: string): string | null {
  const email = input.normalize('NFKC').trim().toLowerCase();
  return emailSchema.safeParse(email).success ? email : null;
}
