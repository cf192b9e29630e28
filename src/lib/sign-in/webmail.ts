/**
 * "Open Gmail": the webmail of well-known address domains, so the check-email page can offer a
 * button straight to the inbox. Unknown domains (a company's own) get no button.
 */

interface Webmail {
  name: string;
  url: string;
}

const GMAIL: Webmail = { name: 'Gmail', url: 'https://mail.google.com/mail/' };
const OUTLOOK: Webmail = { name: 'Outlook', url: 'https://outlook.live.com/mail/' };
const PROTON: Webmail = { name: 'Proton Mail', url: 'https://mail.proton.me/' };
const ICLOUD: Webmail = { name: 'iCloud Mail', url: 'https://www.icloud.com/mail/' };
const YAHOO: Webmail = { name: 'Yahoo Mail', url: 'https://mail.yahoo.com/' };

const BY_DOMAIN: Record<string, Webmail> = {
  'gmail.com': GMAIL,
  'googlemail.com': GMAIL,
  'outlook.com': OUTLOOK,
  'hotmail.com': OUTLOOK,
  'live.com': OUTLOOK,
  'msn.com': OUTLOOK,
  'proton.me': PROTON,
  'protonmail.com': PROTON,
  'pm.me': PROTON,
  'icloud.com': ICLOUD,
  'me.com': ICLOUD,
  'mac.com': ICLOUD,
  'yahoo.com': YAHOO,
};

/** The webmail for `email`'s domain, or null when the domain isn't one we know. */
export function webmailFor(email: string): Webmail | null {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return BY_DOMAIN[domain] ?? null;
}
