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
import ipaddr from 'ipaddr.js';
import type { APIContext } from 'astro';
import { config, type ClientIpSettings } from '#lib/config/config.server.ts';

/** `value` as a canonical address (lowercase, IPv4-mapped as IPv4, no port, brackets or zone), or undefined. */
export function normalizeIp(value: string): string | undefined {
  let ip = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':')); // IPv4 with a port
  ip = ip.replace(/%.*$/, ''); // zone index (fe80::1%eth0)
  // node:net's check is strict (ipaddr.js also takes legacy forms such as `1.2.3` or octal parts);
  // ipaddr.js then gives the RFC 5952 text and turns IPv4-mapped IPv6 into IPv4.
  if (!isIP(ip)) return undefined;
  return ipaddr.process(ip).toString();
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
  const forwarded = settings.header
    ? forwardedClientIp(context.request.headers.get(settings.header), settings.hops)
    : undefined;
  if (forwarded) return forwarded;
  const peer = context.clientAddress;
  return (peer && normalizeIp(peer)) || peer || 'unknown';
}

/** What a per-IP limit counts: the IPv4 address, or the IPv6 address's /64 (`2001:db8:1:2::/64`). */
export function rateLimitSubject(ip: string): string {
  const normalized = normalizeIp(ip);
  if (!normalized || isIP(normalized) === 4) return normalized ?? ip;
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${normalized}/64`).toString()}/64`;
}
