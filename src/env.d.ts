/// <reference types="astro/client" />

/** The signed-in user as the app sees it (from Auth.js's session callback). */
interface SessionUser {
  id: number;
  email: string;
  name: string | null;
}

declare namespace App {
  interface Locals {
    /** Set by the middleware once per request; null when there is no valid session. */
    session: { user: SessionUser; expires: string } | null;
    /** Set before rewriting to the 429 page: seconds until the limit resets. */
    retryAfterSeconds?: number;
  }
}
