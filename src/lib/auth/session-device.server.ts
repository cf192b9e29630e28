/**
 * The User-Agent of the request that is creating a session, for the adapter's createSession
 * (Auth.js calls it without the request). Every call into Auth.js (auth-handler's callAuthRoute,
 * auth-js's authRequest) runs inside `withRequestUserAgent`, so magic-link and code sign-ins store
 * the device alike; the account page names it (src/lib/account/devices.server.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Longer headers are cut: enough for any real browser, bounded for a crafted one. */
const MAX_USER_AGENT = 512;

const storage = new AsyncLocalStorage<string | null>();

/** Runs `fn` (an Auth.js call) with `request`'s User-Agent available to the adapter. */
export function withRequestUserAgent<T>(request: Request, fn: () => Promise<T>): Promise<T> {
  const header = request.headers.get('user-agent');
  return storage.run(header ? header.slice(0, MAX_USER_AGENT) : null, fn);
}

/** The User-Agent of the request Auth.js is handling (null: none sent, or not inside a request). */
export function currentUserAgent(): string | null {
  return storage.getStore() ?? null;
}
