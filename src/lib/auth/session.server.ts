/**
 * The session of a request. The rule (see src/content/docs/architecture.md): nothing reads the
 * session unless the route asks. Routes that read or write data check it inside their own
 * statement (session-owner.server.ts: one round trip); the others call `Astro.locals.session()`,
 * which the middleware defines lazily (one statement, at most once per request).
 */
import type { APIContext, AstroCookies } from 'astro';
import type { Queryable } from '#lib/db/index.server.ts';
import { HttpError } from '#lib/http/api.server.ts';
import {
  requestOwner,
  settleSession,
  type MeColumns,
  type RequestSession,
  type SessionOwner,
} from './session-owner.server.ts';

/**
 * The signed-in session for this request's cookie, in one statement (the expiry extension and
 * the deletion of an expired row included), updating the cookie. No cookie: no query.
 * An outage throws DatabaseUnavailableError: it must answer 503, never "signed out".
 */
export async function readSession(database: Queryable, cookies: AstroCookies): Promise<RequestSession | null> {
  const owner = requestOwner(cookies);
  if (owner) await checkOwner(database, owner);
  return settleSession(cookies, owner);
}

async function checkOwner(database: Queryable, owner: SessionOwner): Promise<void> {
  const { rows } = await database.query<MeColumns>(`WITH ${owner.cte} SELECT * FROM me`, [...owner.params]);
  owner.seen(rows[0]);
}

/** What `locals.session()` reads from: the request's cookies, and the answer once asked. */
interface SessionSlot {
  database?: Queryable;
  cookies?: AstroCookies;
  answer?: ReturnType<App.Locals['session']>;
}

const SLOT = Symbol('locals.session');
type WithSlot = App.Locals & { [SLOT]?: SessionSlot };

/**
 * `locals.session()` itself: one function for every request, finding its request's state on the
 * `locals` it is called on. Not a closure made per request: V8 kept such a closure, and the request
 * context it captured, alive through every young-generation collection until a full one — 14 KB
 * of promoted garbage per API request (README → Memory, round 7).
 */
function sessionOfLocals(this: WithSlot): ReturnType<App.Locals['session']> {
  const slot = (this[SLOT] ??= {});
  const { database, cookies } = slot;
  return (slot.answer ??= database && cookies ? readSession(database, cookies) : Promise.resolve(null));
}

/** Offers `locals.session()` for this request: read on the first call, at most once, never without a cookie. */
export function offerSession(locals: App.Locals, database: Queryable, cookies: AstroCookies): void {
  (locals as WithSlot)[SLOT] = { database, cookies };
  locals.session = sessionOfLocals;
}

/**
 * A page that checked the session in its own statement hands the result to `locals.session()`,
 * so the layout's account menu (rendered in place on such pages) asks the database nothing more.
 */
export function rememberSession(locals: App.Locals, session: RequestSession | null): void {
  const known = session && { user: session.user, expires: session.expires };
  ((locals as WithSlot)[SLOT] ??= {}).answer = Promise.resolve(known);
  locals.session = sessionOfLocals;
}

const unauthorized = () => new HttpError(401, 'unauthorized', 'Sign in to use this endpoint.');

/**
 * An API handler that does its work as the request's session owner: it passes `owner` to the
 * owner-scoped queries, which return null without a live session (throw `unauthorized()` then).
 * No plausible cookie: 401 without a query. A refusal before the statement ran (bad id or body)
 * checks the session first (a second trip, on the failure path only), so signed-out callers still
 * get 401, never 400. The cookie follows the session on every path.
 */
export function signedInHandler(
  database: Queryable,
  handler: (context: APIContext, owner: SessionOwner, unauthorized: () => HttpError) => Promise<Response>,
): (context: APIContext) => Promise<Response> {
  return async (context) => {
    const owner = requestOwner(context.cookies);
    if (!owner) throw unauthorized();
    try {
      return await handler(context, owner, unauthorized);
    } catch (error) {
      if (error instanceof HttpError && error.status !== 401 && owner.session === undefined) {
        await checkOwner(database, owner);
        if (!owner.session) throw unauthorized();
      }
      throw error;
    } finally {
      settleSession(context.cookies, owner);
    }
  };
}
