/**
 * State of one "email me a sign-in link" request while Auth.js handles it.
 *
 * Auth.js calls our hooks separately (generateVerificationToken, sendVerificationRequest, the
 * adapter's createVerificationToken) and starts sending before it stores the token. This context,
 * set by our /api/auth route around the Auth.js call, lets them cooperate: the code travels from
 * token generation to the email, the token is stored only once the email went out (a failed send
 * leaves nothing usable behind), and the route learns that sending failed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface SignInRequestState {
  /** The one address the route validated, counted and will mail: Auth.js may mail no other. */
  email: string;
  /** sha256 of the nonce in the asking browser's pending cookie, stored with the code row. */
  nonceHash: string;
  /** The one-time code for this request and the salt its link token is derived with. */
  code?: { code: string; salt: string };
  /** Settles when the email has been handed to the transport (rejects if that failed). */
  sent?: Promise<void>;
  mailFailed: boolean;
}

const storage = new AsyncLocalStorage<SignInRequestState>();

/** Runs `fn` (an Auth.js call) with a fresh sign-in request state for `email`; returns both. */
export async function withSignInRequest<T>(
  request: Pick<SignInRequestState, 'email' | 'nonceHash'>,
  fn: () => Promise<T>,
): Promise<{ result: T; state: SignInRequestState }> {
  const state: SignInRequestState = { ...request, mailFailed: false };
  const result = await storage.run(state, fn);
  return { result, state };
}

/** The current request's state, if Auth.js was called through `withSignInRequest`. */
export function currentSignInRequest(): SignInRequestState | undefined {
  return storage.getStore();
}
