/**
 * The client address behind trusted proxies, and the subject the per-IP limit counts (issue #10,
 * L2): the value the last trusted proxy added wins over anything the client sent, and IPv6 clients
 * are counted per /64 (one customer's allocation), IPv4-mapped IPv6 as the IPv4 address.
 */
import { describe, expect, it } from 'vitest';
import { clientIp, forwardedClientIp, normalizeIp, rateLimitSubject } from '#lib/sign-in/client-ip.server.ts';

describe('forwardedClientIp', () => {
  it.each([
    // header value, trusted hops, expected
    ['203.0.113.7', 1, '203.0.113.7'],
    ['6.6.6.6, 203.0.113.7', 1, '203.0.113.7'], // a client-prepended value is ignored
    ['6.6.6.6,203.0.113.7', 1, '203.0.113.7'],
    ['1.1.1.1, 6.6.6.6, 203.0.113.7', 1, '203.0.113.7'],
    ['6.6.6.6, 203.0.113.7, 10.0.0.2', 2, '203.0.113.7'], // two proxies: the first one added the client
    ['203.0.113.7, 10.0.0.2', 2, '203.0.113.7'],
    ['10.0.0.2', 2, undefined], // fewer values than trusted proxies: the request skipped one
    ['', 1, undefined],
    ['  ', 1, undefined],
    ['6.6.6.6, not-an-ip', 1, undefined], // garbage where the proxy's value should be
    ['6.6.6.6, 2001:DB8::1', 1, '2001:db8::1'],
    ['6.6.6.6, [2001:db8::1]:443', 1, '2001:db8::1'],
    ['6.6.6.6, 203.0.113.7:51234', 1, '203.0.113.7'],
    ['6.6.6.6, ::ffff:203.0.113.7', 1, '203.0.113.7'],
  ])('%j with %i trusted hop(s) → %s', (header, hops, expected) => {
    expect(forwardedClientIp(header, hops)).toBe(expected);
  });

  it('is undefined without the header', () => {
    expect(forwardedClientIp(null, 1)).toBeUndefined();
  });
});

describe('normalizeIp', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'], // the same mapped address in hex
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[::1]', '::1'],
    ['[2001:db8::1]:8080', '2001:db8::1'],
    ['1.2.3.4:80', '1.2.3.4'],
    ['999.1.1.1', undefined],
    ['unknown', undefined],
    ['', undefined],
  ])('%j → %s', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });
});

describe('rateLimitSubject', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::a', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:000b', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8::/64'],
    ['::1', '::/64'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['unknown', 'unknown'],
  ])('%s is counted as %s', (ip, subject) => {
    expect(rateLimitSubject(ip)).toBe(subject);
  });
});

describe('clientIp', () => {
  const request = (headers: Record<string, string>) => new Request('http://localhost/', { headers });

  it.each([
    [
      'no header configured: the socket peer',
      { header: undefined, hops: 1 },
      { 'x-forwarded-for': '6.6.6.6' },
      '::ffff:10.0.0.9',
      '10.0.0.9',
    ],
    [
      'the rightmost value',
      { header: 'x-forwarded-for', hops: 1 },
      { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' },
      '10.0.0.9',
      '203.0.113.7',
    ],
    [
      'the configured hop',
      { header: 'x-forwarded-for', hops: 2 },
      { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' },
      '10.0.0.9',
      '203.0.113.7',
    ],
    ['a missing header: the socket peer', { header: 'x-forwarded-for', hops: 1 }, {}, '10.0.0.9', '10.0.0.9'],
    [
      'too few values: the socket peer',
      { header: 'x-forwarded-for', hops: 2 },
      { 'x-forwarded-for': '6.6.6.6' },
      '10.0.0.9',
      '10.0.0.9',
    ],
  ])('%s', (_label, settings, headers, peer, expected) => {
    expect(clientIp({ request: request(headers), clientAddress: peer }, settings)).toBe(expected);
  });
});
