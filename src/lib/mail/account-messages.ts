/**
 * The account emails: the link that confirms a new address (sent to the new address) and the
 * notice that the address changed (sent to the old one). Plain text and simple HTML, no tracking.
 */
import type { MailMessage } from './message.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

/** One card: a heading, paragraphs, and optionally a button to `url`. */
function html(title: string, paragraphs: string[], button?: { label: string; url: string }): string {
  const p = (text: string) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(text)}</p>`;
  const action = button
    ? `<p style="margin:0 0 24px"><a href="${escapeHtml(button.url)}" style="display:inline-block;background:#2747d6;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">${escapeHtml(button.label)}</a></p>
<p style="margin:0 0 24px;font-size:13px;word-break:break-all"><a href="${escapeHtml(button.url)}" style="color:#2747d6">${escapeHtml(button.url)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="en"><body style="margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330">
<table role="presentation" cellpadding="0" cellspacing="0" style="max-width:480px;width:100%;margin:0 auto;background:#fff;border-radius:12px;padding:32px"><tr><td>
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(title)}</h1>
${paragraphs.slice(0, 1).map(p).join('')}${action}${paragraphs.slice(1).map(p).join('')}
</td></tr></table>
</body></html>`;
}

/** To the new address: the link that makes it the account's address. */
export function emailChangeMessage(params: {
  to: string;
  url: string;
  minutes: number;
  siteName: string;
}): MailMessage {
  const { to, url, minutes, siteName } = params;
  const title = `Confirm your new email address for ${siteName}`;
  const lead = `Someone signed in to ${siteName} asked to use ${to} as their account’s email address. Open this link to confirm:`;
  const after = [
    `The link works once and expires in ${minutes} minutes. Until it is used, the account keeps its old address.`,
    "If you didn't ask for this, ignore this email: nothing changes.",
  ];
  return {
    to,
    subject: title,
    text: [title, '', lead, url, '', ...after, ''].join('\n'),
    html: html(title, [lead, ...after], { label: 'Confirm new address', url }),
    url,
    linkLabel: `Open the email-change link for ${to}`,
  };
}

/** To the old address, once the change is done: what happened, and what to do if it wasn't them. */
export function emailChangedNotice(params: {
  to: string;
  newEmail: string;
  siteUrl: string;
  siteName: string;
}): MailMessage {
  const { to, newEmail, siteUrl, siteName } = params;
  const title = `Your ${siteName} email address was changed`;
  const lines = [
    `The account that used ${to} now signs in with ${newEmail}. Sign-in links go to the new address from now on.`,
    `If you didn't make this change, someone with access to your account did: contact the people who run ${siteName}.`,
  ];
  return {
    to,
    subject: title,
    text: [title, '', ...lines, ''].join('\n'),
    html: html(title, lines),
    url: siteUrl,
    linkLabel: `Open ${siteName}`,
  };
}
