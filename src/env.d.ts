/// <reference types="astro/client" />

/** The signed-in user as the app sees it (from Auth.js's session callback). */
interface SessionUser {
  id: number;
  email: string;
  name: string | null;
}

declare namespace App {
  interface Locals {
    /**
     * The request's session, read on first call (one statement, none without a cookie) and kept for
     * the request; null when there is no valid session. Routes that read or write the user's data
     * don't call it: their own statement checks the session (src/lib/auth/session-owner.server.ts).
     */
    session: () => Promise<{ user: SessionUser; expires: string } | null>;
  }
}
