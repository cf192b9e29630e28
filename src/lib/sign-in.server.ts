/**
 * The app's own steps around Auth.js's email sign-in: address checks, rate limits, and the
 * short-lived cookie that lets the check-email page accept a code for the address it asked for.
 */
import type { AstroCookies } from 'astro';
import { z } from 'zod';
import { config } from './config.server.ts';
import { appCookieOptions } from './app-cookies.server.ts';
import { rateLimitSubject } from './client-ip.server.ts';
import { db } from './db.server.ts';
import { hitRateLimits, type RateLimitResult } from './rate-limit.server.ts';
import { safeCallbackPath } from './redirects.ts';

const emailSchema = z.email().max(254);

/**
 * The address as Auth.js will store it (NFKC, trimmed, lowercased), or null when it isn't one.
 * People type addresses in any case; we store them in lowercase.
 */
export function normalizeEmail(input: string): string | null {
  const email = input.normalize('NFKC').trim().toLowerCase();
  return emailSchema.safeParse(email).success ? email : null;
}

/** Counts a sign-in email against the per-address and per-IP limits (`ip` from client-ip.server.ts; IPv6 per /64). */
export function checkSignInEmailLimits(email: string, ip: string): Promise<RateLimitResult> {
  const limits = config().signIn;
  return hitRateLimits(db, [
    { rule: { name: 'signin-email', limit: limits.emailsPerAddress, windowSeconds: 15 * 60 }, subject: email },
    { rule: { name: 'signin-ip', limit: limits.emailsPerIp, windowSeconds: 60 * 60 }, subject: rateLimitSubject(ip) },
  ]);
}

const PENDING_COOKIE = 'signin-pending';

export interface PendingSignIn {
  email: string;
  callbackUrl: string;
}

/** Notes the address this browser asked a link for (HttpOnly, for as long as the link lives). */
export function setPendingSignIn(cookies: AstroCookies, pending: PendingSignIn): void {
  cookies.set(
    PENDING_COOKIE,
    Buffer.from(JSON.stringify(pending)).toString('base64url'),
    appCookieOptions('/signin', config().signIn.linkMinutes * 60),
  );
}

/** The pending sign-in of this browser, if any (values re-validated: the cookie is client data). */
export function pendingSignIn(cookies: AstroCookies): PendingSignIn | null {
  const raw = cookies.get(PENDING_COOKIE)?.value;
  if (!raw) return null;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    const email = normalizeEmail(String(parsed.email ?? ''));
    return email ? { email, callbackUrl: safeCallbackPath(parsed.callbackUrl) } : null;
  } catch {
    return null;
  }
}

export function clearPendingSignIn(cookies: AstroCookies): void {
  cookies.delete(PENDING_COOKIE, { path: '/signin' });
}
