/**
 * The client's address, and what the per-IP limits count it as.
 *
 * Behind proxies, CLIENT_IP_HEADER names the header they fill (X-Forwarded-For, say). Proxies
 * append: a client can put anything at the start of the header, so only the values the trusted
 * proxies added mean anything. With CLIENT_IP_HOPS trusted proxies (default 1), the client is the
 * value the outermost one added: the CLIENT_IP_HOPS-th from the right. A request that carries fewer
 * values skipped a proxy, and one whose value there is not an address is not what a proxy sends:
 * both fall back to the socket's peer (so they share the proxy's limit instead of choosing their own).
 *
 * IPv6 clients usually get a whole /64 (SLAAC, privacy addresses): counted per address, one
 * client would have 2^64 budgets, so the limit counts the /64. IPv4-mapped IPv6 (`::ffff:1.2.3.4`,
 * what a dual-stack socket reports for an IPv4 peer) is the IPv4 address.
 */
import { isIP } from 'node:net';
import type { APIContext } from 'astro';
import { config, type ClientIpSettings } from './config.server.ts';

/** `value` as a canonical address (lowercase, IPv4-mapped as IPv4, no port, brackets or zone), or undefined. */
export function normalizeIp(value: string): string | undefined {
  let ip = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':')); // IPv4 with a port
  ip = ip.replace(/%.*$/, ''); // zone index (fe80::1%eth0)
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version !== 6) return undefined;
  const groups = ipv6Groups(ip);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return compressIpv6(groups);
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail included). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of 2+ zero groups as `::`. */
function compressIpv6(groups: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** The client address a header filled by `hops` trusted proxies gives, or undefined when it gives none. */
export function forwardedClientIp(header: string | null, hops: number): string | undefined {
  if (header === null) return undefined;
  const values = header.split(',').map((v) => v.trim());
  if (values.length < hops) return undefined;
  return normalizeIp(values[values.length - hops]!);
}

/** The client's address: from the trusted proxies' header when configured, else the socket's peer. */
export function clientIp(
  context: Pick<APIContext, 'request' | 'clientAddress'>,
  settings: ClientIpSettings = config().clientIp,
): string {
  const forwarded = settings.header ? forwardedClientIp(context.request.headers.get(settings.header), settings.hops) : undefined;
  if (forwarded) return forwarded;
  const peer = context.clientAddress;
  return (peer && normalizeIp(peer)) || peer || 'unknown';
}

/** What a per-IP limit counts: the IPv4 address, or the IPv6 address's /64 (`2001:db8:1:2::/64`). */
export function rateLimitSubject(ip: string): string {
  const normalized = normalizeIp(ip);
  if (!normalized || isIP(normalized) === 4) return normalized ?? ip;
  const prefix = ipv6Groups(normalized).slice(0, 4).map((g) => g.toString(16));
  return `${prefix.join(':')}::/64`;
}
