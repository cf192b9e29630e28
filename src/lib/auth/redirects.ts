/**
 * Redirects around sign-in, both ways: "go sign in and come back here" (`signInPath`, the only
 * place that URL is built; browser-safe, the island uses it too) and where to go after sign-in
 * (`safeCallbackPath`: only same-origin relative paths are honoured).
 */

const DEFAULT_AFTER_SIGN_IN = '/todos';

/**
 * The sign-in page, coming back to `callbackPath` afterwards: `/signin?callbackUrl=%2Ftodos`.
 * `extra` goes first (`/signin?error=invalid-email&callbackUrl=…`).
 */
export function signInPath(callbackPath: string, extra: Record<string, string> = {}): string {
  return `/signin?${new URLSearchParams({ ...extra, callbackUrl: callbackPath })}`;
}

const MAX_LENGTH = 2048;
/** Control characters: URL parsers drop tabs and newlines, so `/\t/evil` would become `//evil`. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * `/todos?x=1` stays; an absolute URL on `siteOrigin` becomes its path; `https://evil.example`,
 * `//evil.example`, `/\evil` and junk become the fallback.
 *
 * The path that comes back is what gets checked, not the input: resolving collapses dot segments
 * (`/.//evil.example` and `/%2e//evil.example` become `//evil.example`, a different host when put
 * in a Location header), so the result must itself be on the site and start with one `/`.
 * Every redirect after sign-in goes through here (callbackPath in auth-js.server.ts, Auth.js's
 * redirect callback, the pending-code cookie, the code route).
 */
export function safeCallbackPath(
  raw: string | null | undefined,
  siteOrigin?: string,
  fallback = DEFAULT_AFTER_SIGN_IN,
): string {
  if (!raw || raw.length > MAX_LENGTH || raw.includes('\\') || CONTROL.test(raw)) return fallback;
  const sameSiteAbsolute = siteOrigin !== undefined && (raw === siteOrigin || raw.startsWith(`${siteOrigin}/`));
  if (!sameSiteAbsolute && (!raw.startsWith('/') || raw.startsWith('//'))) return fallback;
  try {
    const base = new URL(siteOrigin ?? 'http://x.invalid');
    const url = new URL(raw, base);
    if (url.origin !== base.origin) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    return isLocalPath(path, base) ? path : fallback;
  } catch {
    return fallback;
  }
}

/** A path a browser resolves on `base` itself: one leading `/`, no host, no control characters. */
function isLocalPath(path: string, base: URL): boolean {
  if (path.length > MAX_LENGTH || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\'))
    return false;
  if (CONTROL.test(path)) return false;
  return new URL(path, base).origin === base.origin;
}
