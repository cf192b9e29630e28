/** A session's device in words ("Firefox on Windows"), from the User-Agent stored with it (bowser). */
import Bowser from 'bowser';

/** "Chrome on macOS", "Safari on iOS", "Firefox", or "Unknown device" (no or unreadable header). */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const parser = Bowser.getParser(userAgent);
  const browser = parser.getBrowserName();
  const os = parser.getOSName();
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || 'Unknown device';
}
