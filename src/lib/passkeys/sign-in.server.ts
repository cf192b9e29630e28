/**
 * Signing in with a passkey. The answer must sign a live sign-in challenge (spent by this very
 * request, whatever follows), name a stored credential, verify against its public key with user
 * verification, and move its signature counter forward (a counter that goes back means a cloned
 * authenticator: refused). Then the counter and backup state are recorded and the same database
 * session as an email link's is started (session.server.ts).
 */
import type { AstroCookies } from 'astro';
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Queryable } from '#lib/db/index.server.ts';
import { relyingParty } from './relying-party.server.ts';
import { signedChallenge } from './schema.server.ts';
import { startSession } from './session.server.ts';
import { recordPasskeyUse, takeSignInChallenge } from './store.server.ts';

export type SignInOutcome = { ok: true; userId: number } | { ok: false; reason: 'challenge' | 'refused' };

/** Verifies a passkey sign-in and, when it holds, starts a session (cookie set on `cookies`). */
export async function signInWithPasskey(
  database: Queryable,
  cookies: AstroCookies,
  response: AuthenticationResponseJSON,
): Promise<SignInOutcome> {
  const challenge = signedChallenge(response.response.clientDataJSON);
  if (!challenge) return { ok: false, reason: 'refused' };
  const { challengeLive, credential } = await takeSignInChallenge(database, challenge, response.id);
  if (!challengeLive) return { ok: false, reason: 'challenge' };
  if (!credential) return { ok: false, reason: 'refused' };

  const rp = relyingParty();
  let info;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      credential: {
        id: credential.credentialId,
        publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
        counter: credential.counter,
        transports: credential.transports,
      },
      requireUserVerification: true,
    });
    if (!verified.verified) return { ok: false, reason: 'refused' };
    info = verified.authenticationInfo;
  } catch {
    // A bad signature, another origin or RP ID, no user verification, a counter that went back.
    return { ok: false, reason: 'refused' };
  }
  const recorded = await recordPasskeyUse(database, credential, {
    counter: info.newCounter,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
  });
  if (!recorded) return { ok: false, reason: 'refused' };
  await startSession(database, cookies, credential.userId);
  return { ok: true, userId: credential.userId };
}
