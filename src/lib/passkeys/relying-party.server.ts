/**
 * Who we are to the browser's WebAuthn: the relying party. Its ID is SITE_URL's host name (a
 * passkey made for it works on that host and its subdomains, never elsewhere), and a ceremony is
 * accepted only from the origins a write may come from (origin.server.ts: SITE_URL's, and in local
 * mode its loopback aliases). Nothing here trusts the request's Host header.
 */
import { createHmac } from 'node:crypto';
import { config } from '#lib/config/config.server.ts';
import { allowedOrigins } from '#lib/http/origin.server.ts';

export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

let cached: RelyingParty | undefined;

/** The relying party for this configuration (computed once). */
export function relyingParty(): RelyingParty {
  if (cached) return cached;
  const cfg = config();
  cached = { id: new URL(cfg.siteUrl).hostname, name: cfg.siteName, origins: [...allowedOrigins(cfg)] };
  return cached;
}

/**
 * The WebAuthn user handle for a user: opaque (no id or address in it) and stable, so an
 * authenticator that already holds a passkey for this person replaces it instead of adding a twin.
 */
export function userHandle(userId: number): Uint8Array<ArrayBuffer> {
  const mac = createHmac('sha256', config().authSecret).update(`passkey-user:${userId}`).digest();
  return new Uint8Array(mac.subarray(0, 16));
}
