/**
 * Cross-site request refusal for every state-changing request (Astro's own check covers form
 * content types only, and compares against a URL built from the Host header).
 */
import { config } from './config.server.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for a non-safe request that a browser sent from another origin. */
export function isCrossSiteWrite(request: Request, url: URL): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite === 'cross-site') return true;
  const origin = request.headers.get('origin');
  // Browsers send Origin on every POST/PATCH/DELETE; a request without one isn't a CSRF vector.
  if (!origin) return false;
  return origin !== new URL(config().siteUrl).origin && origin !== url.origin;
}
