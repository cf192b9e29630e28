/** The sign-in email: one HTML and one plain-text part, no tracking, no remote images. */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The sign-in link the message carries (kept for the dev mailbox). */
  url: string;
  /** The dev mailbox's words for that link, when it isn't a sign-in link. */
  linkLabel?: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

/** Whole minutes until `expires`, for "expires in N minutes". */
function minutesLeft(expires: Date, now = Date.now()): number {
  return Math.max(1, Math.round((expires.getTime() - now) / 60_000));
}

export function signInMessage(params: {
  to: string;
  url: string;
  /** One-time code for signing in on another device (formatted for reading). */
  code?: string | undefined;
  expires: Date;
  siteName: string;
}): MailMessage {
  const { to, url, siteName, code } = params;
  const minutes = minutesLeft(params.expires);
  const subject = `Sign in to ${siteName}`;
  const text = [
    `Sign in to ${siteName}`,
    '',
    'Open this link to sign in:',
    url,
    '',
    ...(code ? ['Or enter this code on the sign-in page that asked for it:', code, ''] : []),
    `The ${code ? 'link and code work' : 'link works'} once and expire${code ? '' : 's'} in ${minutes} minutes.`,
    "If you didn't ask to sign in, you can ignore this email.",
    '',
  ].join('\n');
  const site = escapeHtml(siteName);
  const href = escapeHtml(url);
  const html = `<!doctype html>
<html lang="en"><body style="margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" cellpadding="0" cellspacing="0" style="max-width:480px;width:100%;background:#fff;border-radius:12px;padding:32px">
<tr><td>
<h1 style="font-size:20px;margin:0 0 16px">Sign in to ${site}</h1>
<p style="margin:0 0 24px;line-height:1.5">Click the button to sign in. The ${code ? 'link and code work' : 'link works'} once and expire${code ? '' : 's'} in ${minutes} minutes.</p>
<p style="margin:0 0 24px"><a href="${href}" style="display:inline-block;background:#2747d6;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">Sign in</a></p>
<p style="margin:0 0 8px;font-size:13px;color:#555">Or paste this link into your browser:</p>
<p style="margin:0 0 24px;font-size:13px;word-break:break-all"><a href="${href}" style="color:#2747d6">${href}</a></p>${
    code
      ? `\n<p style="margin:0 0 8px;font-size:13px;color:#555">Signing in on another device? Enter this code on the page that asked for it:</p>\n<p style="margin:0 0 24px;font-size:28px;font-weight:700;letter-spacing:4px;font-family:ui-monospace,Menlo,monospace">${escapeHtml(code)}</p>`
      : ''
  }
<p style="margin:0;font-size:13px;color:#555">If you didn't ask to sign in, you can ignore this email.</p>
</td></tr></table>
</td></tr></table>
</body></html>`;
  return { to, subject, text, html, url };
}
