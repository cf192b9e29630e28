/**
 * Reading a Host header, shared by the server's Host check (src/server/host-check.ts) and the
 * local mailbox's access rule (src/lib/mail/mailbox-access.server.ts), so the two parse it alike.
 */

/** `example.com`, `example.com:8080`, `[::1]:4321`; anything else is not a Host header. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::\d{0,5})?$/i;

/** The host name of a Host header, lowercase, without port or trailing dot; undefined if malformed. */
export function hostnameOf(host: string | undefined): string | undefined {
  const match = host === undefined ? null : HOST_HEADER.exec(host.trim());
  return match ? match[1]!.toLowerCase().replace(/\.$/, '') : undefined;
}
