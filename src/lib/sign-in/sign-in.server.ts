/**
 * The app's own steps around Auth.js's email sign-in: rate limits, the short-lived cookie that
 * lets the check-email page accept a code for the address it asked for (and time the "Resend"),
 * and the cookie that remembers the last address used on this browser.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AstroCookies } from 'astro';
import { config } from '#lib/config/config.server.ts';
import { appCookieOptions } from '#lib/auth/app-cookies.server.ts';
import { rateLimitSubject } from './client-ip.server.ts';
import { db } from '#lib/db/index.server.ts';
import { hitRateLimits, type RateLimitHit, type RateLimitResult } from './rate-limit.server.ts';
import { safeCallbackPath } from '#lib/auth/redirects.ts';
import { normalizeEmail } from '#lib/auth/email-address.server.ts';

/**
 * The limits every email a person can trigger counts against (sign-in links and codes, and the
 * email-change link, which shares the count): per address and per IP (`ip` from
 * client-ip.server.ts; IPv6 per /64).
 */
export function signInEmailLimits(email: string, ip: string): RateLimitHit[] {
  const limits = config().signIn;
  return [
    { rule: { name: 'signin-email', limit: limits.emailsPerAddress, windowSeconds: 15 * 60 }, subject: email },
    { rule: { name: 'signin-ip', limit: limits.emailsPerIp, windowSeconds: 60 * 60 }, subject: rateLimitSubject(ip) },
  ];
}

/** Counts a sign-in email against signInEmailLimits. */
export function checkSignInEmailLimits(email: string, ip: string): Promise<RateLimitResult> {
  return hitRateLimits(db, signInEmailLimits(email, ip));
}

const PENDING_COOKIE = 'signin-pending';

export interface PendingSignIn {
  email: string;
  callbackUrl: string;
  /** Random, known only to this browser; the code row stores its hash (see spendCodeAttempt). */
  nonce: string;
  /** When the email was sent (ms since the epoch): the "Resend" cooldown counts from here. */
  sentAt: number;
}

/**
 * Seconds until this browser may ask for another email for `pending` (0: now): "Resend" waits
 * SIGN_IN_RESEND_SECONDS (60) after an email, and the page counts down. The real protection is the
 * per-address and per-IP limits, counted for every email whatever the cookie says; the cooldown
 * only keeps an impatient person from spending them all in a few seconds.
 */
export function resendWaitSeconds(pending: PendingSignIn, now = Date.now()): number {
  return Math.max(0, Math.ceil((pending.sentAt + config().signIn.resendSeconds * 1000 - now) / 1000));
}

const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** A fresh nonce for a pending sign-in (32 random bytes). */
export function newPendingNonce(): string {
  return randomBytes(32).toString('base64url');
}

/** HMAC(AUTH_SECRET) of the cookie's payload: the browser can carry it but not forge or alter it. */
function signature(payload: string): Buffer {
  return createHmac('sha256', config().authSecret).update(`signin-pending:${payload}`).digest();
}

/** Notes the address this browser asked a link for (HttpOnly, signed, for as long as the link lives). */
export function setPendingSignIn(cookies: AstroCookies, pending: PendingSignIn): void {
  const payload = Buffer.from(JSON.stringify(pending)).toString('base64url');
  cookies.set(
    PENDING_COOKIE,
    `${payload}.${signature(payload).toString('base64url')}`,
    appCookieOptions('/signin', config().signIn.linkMinutes * 60),
  );
}

/**
 * The pending sign-in of this browser, if any. A cookie without a valid signature (forged,
 * altered, or from before signing) is no pending sign-in; the values are re-validated anyway.
 */
export function pendingSignIn(cookies: AstroCookies): PendingSignIn | null {
  const raw = cookies.get(PENDING_COOKIE)?.value;
  const [payload, mac, ...extra] = raw?.split('.') ?? [];
  if (!payload || !mac || extra.length) return null;
  const expected = signature(payload);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    const email = normalizeEmail(String(parsed.email ?? ''));
    const nonce = String(parsed.nonce ?? '');
    const sentAt = Number.isFinite(parsed.sentAt) ? Number(parsed.sentAt) : 0;
    return email && NONCE.test(nonce)
      ? { email, callbackUrl: safeCallbackPath(parsed.callbackUrl), nonce, sentAt }
      : null;
  } catch {
    return null;
  }
}

export function clearPendingSignIn(cookies: AstroCookies): void {
  cookies.delete(PENDING_COOKIE, { path: '/signin' });
}

/**
 * The last address this browser asked a sign-in link for, to pre-fill /signin. A first-party
 * cookie rather than localStorage: the server renders the field filled (no JavaScript, no flash of
 * an empty field), and it can be HttpOnly because no script needs it. Path /signin: no other
 * request carries it. Cleared when the account is deleted.
 */
const LAST_EMAIL_COOKIE = 'signin-email';
const LAST_EMAIL_DAYS = 90;

export function rememberAddress(cookies: AstroCookies, email: string): void {
  cookies.set(LAST_EMAIL_COOKIE, email, appCookieOptions('/signin', LAST_EMAIL_DAYS * 24 * 60 * 60));
}

/** The remembered address, if it still is one. */
export function rememberedAddress(cookies: AstroCookies): string | null {
  const raw = cookies.get(LAST_EMAIL_COOKIE)?.value;
  return raw ? normalizeEmail(raw) : null;
}

export function forgetAddress(cookies: AstroCookies): void {
  cookies.delete(LAST_EMAIL_COOKIE, { path: '/signin' });
}
