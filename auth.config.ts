/**
 * Auth.js configuration (read by auth-astro's `getSession` and by our /api/auth route).
 *
 * Everything that depends on the environment is read lazily at request time: this module is also
 * loaded while prerendering pages at build time, where no secret and no database may be touched.
 */
import { defineConfig } from 'auth-astro';
import type { EmailConfig } from '@auth/core/providers/email';
import { config } from './src/lib/config.server.ts';
import { db } from './src/lib/db.server.ts';
import { createAuthAdapter } from './src/lib/auth-adapter.server.ts';
import { sendMail } from './src/lib/mail/index.server.ts';
import { signInMessage } from './src/lib/mail/message.ts';
import { SIGN_IN_LINK_MAX_AGE_SECONDS } from './src/lib/auth-constants.ts';

/** One email provider with the id `email`, whichever transport delivers the message. */
const emailProvider: EmailConfig = {
  id: 'email',
  type: 'email',
  name: 'Email',
  maxAge: SIGN_IN_LINK_MAX_AGE_SECONDS,
  async sendVerificationRequest({ identifier, url, expires }) {
    const cfg = config();
    await sendMail(cfg.mail, signInMessage({ to: identifier, url, expires, siteName: cfg.siteName }));
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
  session: { strategy: 'database', maxAge: 30 * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
  providers: [emailProvider],
  pages: {
    signIn: '/signin',
    verifyRequest: '/signin/check-email',
    error: '/signin/error',
    signOut: '/signout',
  },
  callbacks: {
    // The database strategy's default session has no user id; the app keys every todo on it.
    session({ session, user }) {
      return { ...session, user: { id: Number(user.id), email: user.email, name: user.name ?? null } } as never;
    },
    // Only same-origin destinations; anything else lands on the todo list.
    redirect({ url, baseUrl }) {
      if (url.startsWith('/') && !url.startsWith('//')) return `${baseUrl}${url}`;
      try {
        if (new URL(url).origin === baseUrl) return url;
      } catch {
        // not a URL: fall through
      }
      return `${baseUrl}/todos`;
    },
  },
});
