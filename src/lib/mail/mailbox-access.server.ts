/**
 * Who may read the local mailbox (/dev/mailbox, /dev/mailbox.json, /dev/mailbox/N.html): it
 * shows working sign-in links and codes for every address, so only someone at this machine.
 * That is: the mailbox is on (local mode on loopback, see src/lib/config/config.server.ts), the socket peer is
 * loopback, the Host is a loopback name (not a rebound foreign name), and no proxy forwarded the
 * request (a proxy on this machine makes every peer look local).
 */
import { config } from '#lib/config/config.server.ts';
import { hostnameOf } from '#lib/http/host-name.ts';
import { isLoopbackAddress, isLoopbackHostname } from '#lib/http/loopback.ts';

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** True for a request made on this machine, straight to this server. */
export function isLocalRequest(headers: Headers, clientAddress: string | undefined): boolean {
  const hostname = hostnameOf(headers.get('host') ?? undefined);
  return (
    isLoopbackAddress(clientAddress) &&
    hostname !== undefined &&
    isLoopbackHostname(hostname) &&
    FORWARDING_HEADERS.every((name) => !headers.has(name))
  );
}

/**
 * True when this request may see the mailbox; the routes answer 404 otherwise. `clientAddress`
 * is Astro's: the socket peer, as long as no X-Forwarded-For is present (refused above anyway).
 */
export function mayReadMailbox(request: Request, clientAddress: string | undefined): boolean {
  return config().mailbox && isLocalRequest(request.headers, clientAddress);
}

/** The answer for anyone else: the same as for a route that doesn't exist. */
export function mailboxNotFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
