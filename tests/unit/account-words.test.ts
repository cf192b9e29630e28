/**
 * The words the sign-in and account pages build from data: how long to wait (pluralised by Intl),
 * which webmail an address's domain has, and a session's device from its User-Agent (bowser).
 */
import { describe, expect, it } from 'vitest';
import { describeDevice } from '#lib/account/devices.server.ts';
import { waitPhrase } from '#lib/sign-in/wait-time.ts';
import { webmailFor } from '#lib/sign-in/webmail.ts';

describe('waitPhrase', () => {
  it.each([
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '60 seconds'],
    [61, 'about 1 minute'],
    [90, 'about 2 minutes'],
    [12 * 60 - 5, 'about 12 minutes'],
    [89 * 60, 'about 89 minutes'],
    [2 * 3600, 'about 2 hours'],
    [0, '1 second'],
  ])('%i s → "%s"', (seconds, words) => {
    expect(waitPhrase(seconds)).toBe(words);
  });
});

describe('webmailFor', () => {
  it.each([
    ['ann@gmail.com', 'Gmail'],
    ['ann@GoogleMail.com', 'Gmail'],
    ['ann@hotmail.com', 'Outlook'],
    ['ann@outlook.com', 'Outlook'],
    ['ann@proton.me', 'Proton Mail'],
    ['ann@pm.me', 'Proton Mail'],
    ['ann@icloud.com', 'iCloud Mail'],
    ['ann@me.com', 'iCloud Mail'],
    ['ann@example.com', null],
    ['gmail.com@example.com', null],
  ])('%s → %s', (email, name) => {
    expect(webmailFor(email)?.name ?? null).toBe(name);
  });
});

describe('describeDevice', () => {
  it.each([
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      'Safari on macOS',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Windows'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [null, 'Unknown device'],
    ['', 'Unknown device'],
    ['curl/8.5.0', 'Unknown device'],
  ])('%s → %s', (userAgent, words) => {
    expect(describeDevice(userAgent)).toBe(words);
  });
});
