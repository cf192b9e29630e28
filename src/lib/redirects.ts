/** Where to send someone after sign-in: only same-origin relative paths are honoured. */

export const DEFAULT_AFTER_SIGN_IN = '/todos';

/**
 * `/todos?x=1` stays; an absolute URL on `siteOrigin` becomes its path; `https://evil.example`,
 * `//evil.example`, `/\evil` and junk become the fallback.
 */
export function safeCallbackPath(
  raw: string | null | undefined,
  siteOrigin?: string,
  fallback = DEFAULT_AFTER_SIGN_IN,
): string {
  if (!raw || raw.length > 2048 || raw.includes('\\')) return fallback;
  const sameSiteAbsolute = siteOrigin !== undefined && (raw === siteOrigin || raw.startsWith(`${siteOrigin}/`));
  if (!sameSiteAbsolute && (!raw.startsWith('/') || raw.startsWith('//'))) return fallback;
  try {
    const base = siteOrigin ?? 'http://x.invalid';
    const url = new URL(raw, base);
    if (url.origin !== new URL(base).origin) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
