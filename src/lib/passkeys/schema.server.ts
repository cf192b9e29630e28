/**
 * The bodies the passkey routes accept. The WebAuthn responses are the JSON that
 * @simplewebauthn/browser produces; their shape is checked here (so a malformed body is a 400, never
 * a 500 from deep inside verification) and their content by SimpleWebAuthn.
 */
import { z } from 'zod';

/** A passkey's name as people see it on /account. */
export const NAME_MAX = 64;

const base64url = (field: string, max = 4096) =>
  z
    .string({ error: `${field} must be a string` })
    .min(1, `${field} must not be empty`)
    .max(max, `${field} is too long`)
    .regex(/^[A-Za-z0-9_-]+$/, `${field} must be base64url`);

export const nameSchema = z
  .string({ error: 'name must be a string' })
  .trim()
  .min(1, 'name must not be empty')
  .max(NAME_MAX, `name must be at most ${NAME_MAX} characters`)
  .refine((value) => ![...value].some((c) => c < ' ' || c === '\u007f'), 'name must not contain control characters');

/**
 * The longest signature a WebAuthn algorithm makes, base64url: ML-DSA-87 (FIPS 204, COSE -50),
 * 4,627 bytes. SimpleWebAuthn offers ML-DSA first, and authenticators that support it (Chromium's,
 * from version 156) sign with it: a bound sized for RSA refused every such sign-in.
 */
const SIGNATURE_MAX_CHARS = Math.ceil((4_627 * 4) / 3);

const extras = {
  type: z.literal('public-key', { error: 'type must be "public-key"' }),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

const registrationResponse = z.looseObject({
  id: base64url('response.id', 1366),
  rawId: base64url('response.rawId', 1366),
  response: z.looseObject({
    clientDataJSON: base64url('response.clientDataJSON'),
    attestationObject: base64url('response.attestationObject', 12_000),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  ...extras,
});

const authenticationResponse = z.looseObject({
  id: base64url('response.id', 1366),
  rawId: base64url('response.rawId', 1366),
  response: z.looseObject({
    clientDataJSON: base64url('response.clientDataJSON'),
    authenticatorData: base64url('response.authenticatorData'),
    signature: base64url('response.signature', SIGNATURE_MAX_CHARS),
    userHandle: base64url('response.userHandle', 128).optional(),
  }),
  ...extras,
});

/** POST /api/passkeys/register: the browser's answer, and an optional name for the new passkey. */
export const registerSchema = z.strictObject({
  response: registrationResponse,
  name: nameSchema.optional(),
});

/** POST /api/passkeys/signin: the browser's answer, and where to go once signed in. */
export const signInSchema = z.strictObject({
  response: authenticationResponse,
  callbackUrl: z.string().max(2048).optional(),
});

/** PATCH /api/passkeys/:id */
export const renameSchema = z.strictObject({ name: nameSchema });

/** The passkey id in a URL: a positive whole number (serial). */
export function parsePasskeyId(raw: string | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : null;
}

/** The challenge a response signed (from its clientDataJSON), or null when there is none to read. */
export function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(data.challenge) ? data.challenge : null;
  } catch {
    return null;
  }
}
