/**
 * The options a browser passes to `navigator.credentials.create()` / `.get()`: a fresh random
 * challenge, stored first (shared by every instance, five minutes, single use), and our relying party.
 */
import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Queryable } from '#lib/db/index.server.ts';
import type { Owner } from '#lib/auth/session-owner.server.ts';
import { relyingParty, userHandle } from './relying-party.server.ts';
import { CHALLENGE_SECONDS, storeRegistrationChallenge, storeSignInChallenge } from './store.server.ts';

/** 32 random bytes; the stored form is what the options carry (base64url), and what the browser signs. */
function newChallenge(): { bytes: Uint8Array<ArrayBuffer>; stored: string } {
  const bytes = new Uint8Array(randomBytes(32));
  return { bytes, stored: Buffer.from(bytes).toString('base64url') };
}

/**
 * Options to add a passkey to the owner's account (one statement: session, challenge, and the
 * passkeys the browser must not register twice). Null without a live session.
 */
export async function registrationOptions(
  database: Queryable,
  owner: Owner,
): Promise<PublicKeyCredentialCreationOptionsJSON | null> {
  const challenge = newChallenge();
  const start = await storeRegistrationChallenge(database, owner, challenge.stored);
  if (!start) return null;
  const rp = relyingParty();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: start.email,
    userDisplayName: start.email,
    userID: userHandle(start.userId),
    challenge: challenge.bytes,
    timeout: CHALLENGE_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: start.existing,
    // A passkey: discoverable (sign-in needs no address first), and it checks who is holding it.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

/** Options to sign in with any passkey of this site (discoverable: no address asked first). */
export async function signInOptions(database: Queryable): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const challenge = newChallenge();
  await storeSignInChallenge(database, challenge.stored);
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge: challenge.bytes,
    timeout: CHALLENGE_SECONDS * 1000,
    userVerification: 'required',
  });
}
