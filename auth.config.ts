/**
 * Auth.js configuration (read by auth-astro's handler in our /api/auth route and by the session
 * read in src/lib/auth/session.server.ts).
 *
 * Everything that depends on the environment is read lazily at request time: this module is also
 * loaded while prerendering pages at build time, where no secret and no database may be touched.
 */
import { defineConfig } from 'auth-astro';
import type { EmailConfig } from '@auth/core/providers/email';
import { config } from '#lib/config/config.server.ts';
import { db } from '#lib/db/index.server.ts';
import { createAuthAdapter } from '#lib/auth/adapter.server.ts';
import { sendMail } from '#lib/mail/index.server.ts';
import { signInMessage } from '#lib/mail/message.ts';
import { currentSignInRequest } from '#lib/sign-in/request-state.server.ts';
import { deleteCodes, formatCode, newCode, tokenForCode } from '#lib/sign-in/codes.server.ts';
import { log } from '#lib/log/log.server.ts';
import { safeCallbackPath } from '#lib/auth/redirects.ts';
import { normalizeEmail } from '#lib/auth/email-address.server.ts';
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from '#lib/auth/constants.ts';
import { toSessionUser } from '#lib/auth/session-lookup.server.ts';

/** Auth.js errors a visitor causes (a used or wrong link or code): expected, one line, no stack. */
const CLIENT_ERRORS = new Set(['Verification', 'AccessDenied', 'MissingCSRF']);

/** One email provider with the id `email`, whichever transport delivers the message. */
const emailProvider: EmailConfig = {
  id: 'email',
  type: 'email',
  name: 'Email',
  get maxAge() {
    return config().signIn.linkMinutes * 60;
  },
  // The link's token is derived from a one-time code, so the same email can offer both.
  generateVerificationToken() {
    const code = newCode();
    const state = currentSignInRequest();
    if (state) state.code = code;
    return tokenForCode(config().authSecret, code.salt, code.code);
  },
  // Auth.js's own normaliser lets through what ours refuses (`a,b@…`, `x y@…`, `name <addr>`).
  normalizeIdentifier(identifier) {
    const email = normalizeEmail(identifier);
    if (!email) throw new Error('Invalid email address.');
    return email;
  },
  sendVerificationRequest({ identifier, url, expires }) {
    const cfg = config();
    const state = currentSignInRequest();
    // Defence in depth: mail only the address our route validated and counted for this request.
    if (!state || identifier !== state.email) {
      log.warn('[auth] refused to mail an address the sign-in route did not validate');
      const refused = Promise.reject(new Error('Refused: not the validated address.'));
      if (state) {
        state.sent = refused;
        state.mailFailed = true;
      }
      return refused;
    }
    // The email links to a confirmation page, not to Auth.js's callback: mail scanners that open
    // links can't spend it; the person's click on "Sign in" there does.
    const confirmUrl = new URL(`/signin/confirm${new URL(url).search}`, cfg.siteUrl).href;
    const code = state?.code ? formatCode(state.code.code) : undefined;
    const message = signInMessage({ to: identifier, url: confirmUrl, code, expires, siteName: cfg.siteName });
    const sent = sendMail(cfg.mail, message);
    state.sent = sent;
    sent.catch(() => {
      state.mailFailed = true;
    });
    return sent;
  },
  options: {},
};

export default defineConfig({
  // A getter so the secret is read at runtime (never inlined into the build).
  get secret() {
    return config().authSecret;
  },
  // Our /api/auth route rebuilds each request's URL from SITE_URL before Auth.js sees it, so the
  // host Auth.js sees is always the configured one, never a client-supplied Host header.
  trustHost: true,
  adapter: createAuthAdapter(db),
  // The middleware reads sessions with these same numbers (src/lib/auth/session.server.ts).
  session: { strategy: 'database', maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
  providers: [emailProvider],
  pages: {
    signIn: '/signin',
    verifyRequest: '/signin/check-email',
    error: '/signin/error',
    signOut: '/signout',
  },
  callbacks: {
    // What /api/auth/session shows the page: the user (with the id the app keys todos on) and the
    // expiry, never the adapter's session row (its sessionToken is the HttpOnly cookie's value).
    session({ session, user }) {
      return { user: { ...toSessionUser(user), image: user.image ?? null }, expires: session.expires } as never;
    },
    // Only same-origin destinations (the same rule as every callbackUrl we read); anything else
    // lands on the todo list.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeCallbackPath(url, baseUrl)}`;
    },
  },
  // Auth.js's messages go through our structured, redacting log.
  logger: {
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      if (CLIENT_ERRORS.has(type)) log.warn(`[auth] ${type}`, { authError: type });
      else log.error(`[auth] ${type}`, error);
    },
    warn(code) {
      log.warn(`[auth] ${code}`);
    },
    debug() {},
  },
  events: {
    // Link or code, whichever was used: the other one must not work afterwards.
    async signIn({ user, account }) {
      if (account?.provider === 'email' && user.email) await deleteCodes(db, user.email);
    },
  },
});
