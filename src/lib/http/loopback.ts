/**
 * What counts as "this machine": loopback host names (as URL hostnames), listen addresses and
 * socket peers. Shared by the configuration (may local mode listen here?), the Host check, the
 * origin check and the local mailbox, so the four agree.
 */

/** Loopback names in the form `new URL(...).hostname` gives them (IPv6 in brackets). */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** True for a URL hostname (lowercase, IPv6 in brackets) that names this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.includes(hostname);
}

/** True for a HOST the server may listen on in local mode (one that the network can't reach). */
export function isLoopbackListenHost(host: string): boolean {
  return ['127.0.0.1', '::1', 'localhost'].includes(host.trim().toLowerCase());
}

/** True for a socket peer address on this machine (127.0.0.0/8, ::1, IPv4-mapped 127.x). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}
