/**
 * Adding a passkey: the browser's answer to the registration options is verified (origin, RP ID,
 * user presence and verification, the attestation's own signature), then one statement spends the
 * owner's challenge and stores the credential. The challenge the answer signed is read from the
 * answer itself: if it isn't a live challenge of this signed-in user, nothing is stored.
 */
import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Queryable } from '#lib/db/index.server.ts';
import type { Owner } from '#lib/auth/session-owner.server.ts';
import { relyingParty } from './relying-party.server.ts';
import { signedChallenge } from './schema.server.ts';
import type { PasskeySummary } from './passkey.ts';
import { addPasskey } from './store.server.ts';

export type RegisterOutcome =
  { ok: true; passkey: PasskeySummary } | { ok: false; reason: 'invalid' | 'challenge' | 'duplicate' };

/** Verifies and stores a new passkey for the owner; null without a live session. */
export async function registerPasskey(
  database: Queryable,
  owner: Owner,
  response: RegistrationResponseJSON,
  name: string | undefined,
): Promise<RegisterOutcome | null> {
  const challenge = signedChallenge(response.response.clientDataJSON);
  if (!challenge) return { ok: false, reason: 'invalid' };
  const rp = relyingParty();
  let info;
  try {
    const verified = await verifyRegistrationResponse({
      response,
      // Whether the challenge is live and this user's is decided by the statement below.
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!verified.verified) return { ok: false, reason: 'invalid' };
    info = verified.registrationInfo;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const outcome = await addPasskey(database, owner, challenge, {
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: (response.response.transports ?? []).filter((t) => /^[a-z-]{1,32}$/.test(t)),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    name: name ?? null,
  });
  if (!outcome) return null;
  return outcome.added ? { ok: true, passkey: outcome.added } : { ok: false, reason: outcome.reason };
}
