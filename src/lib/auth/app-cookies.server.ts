/**
 * Options for the app's own short-lived cookies (not Auth.js's session cookie): HttpOnly,
 * SameSite=Lax, and Secure whenever the site is served over https.
 */
import { config } from '#lib/config/config.server.ts';

/** The public site URL is https (cookies then carry Secure, and Auth.js uses `__Secure-` names). */
export function siteIsHttps(): boolean {
  return config().siteUrl.startsWith('https:');
}

export function appCookieOptions(path: string, maxAgeSeconds: number) {
  return { path, maxAge: maxAgeSeconds, httpOnly: true, sameSite: 'lax', secure: siteIsHttps() } as const;
}
