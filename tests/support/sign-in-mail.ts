/** What the sign-in tests read from mail sent through the Resend stand-in, and from the token table. */
import type { RunningApp } from './running-app.ts';

/** The code from the newest email to `email` (plain-text part), digits only. */
export function latestCode(app: RunningApp, email: string): string {
  const call = app.resend!.calls.findLast((c) => c.body.to.includes(email));
  const code = call && /^(\d{4}) (\d{4})$/m.exec(call.body.text);
  if (!code) throw new Error(`No code mailed to ${email}`);
  return `${code[1]}${code[2]}`;
}

/** How many sign-in links for `email` are stored (usable or not yet pruned). */
export async function tokenRows(app: RunningApp, email: string): Promise<number> {
  return (await app.database!.query('SELECT 1 FROM verification_token WHERE identifier = $1', [email])).rowCount;
}
