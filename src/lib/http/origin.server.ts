/**
 * Cross-site request refusal for every state-changing request (Astro's own check covers form
 * content types only, and compares against a URL built from the Host header).
 *
 * The allowed origins come from the configuration alone, never from the request's Host: SITE_URL's
 * origin, and in local mode its loopback aliases (same scheme and port, host localhost, 127.0.0.1
 * or [::1]), because a dev server is browsed under any of those names.
 */
import { config, type AppConfig } from '#lib/config/config.server.ts';
import { LOOPBACK_HOSTNAMES } from './loopback.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origins a write may come from under this configuration. */
export function allowedOrigins(cfg: Pick<AppConfig, 'siteUrl' | 'mode'>): Set<string> {
  const site = new URL(cfg.siteUrl);
  const origins = new Set([site.origin]);
  if (cfg.mode === 'local') {
    for (const hostname of LOOPBACK_HOSTNAMES) {
      const alias = new URL(site.origin);
      alias.hostname = hostname;
      origins.add(alias.origin);
    }
  }
  return origins;
}

let cached: Set<string> | undefined;

/** True for a non-safe request that a browser sent from another origin. */
export function isCrossSiteWrite(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite === 'cross-site') return true;
  const origin = request.headers.get('origin');
  // Browsers send Origin on every POST/PATCH/DELETE; a request without one isn't a CSRF vector.
  if (!origin) return false;
  cached ??= allowedOrigins(config());
  return !cached.has(origin);
}
