/** Where to send someone after sign-in: only same-origin relative paths are honoured. */

export const DEFAULT_AFTER_SIGN_IN = '/todos';

/** `/todos?x=1` stays; `https://evil.example`, `//evil.example`, `/\evil` and junk become `/todos`. */
export function safeCallbackPath(raw: string | null | undefined, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (!raw || raw.length > 2048) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return fallback;
  try {
    const url = new URL(raw, 'http://x.invalid');
    if (url.origin !== 'http://x.invalid') return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
