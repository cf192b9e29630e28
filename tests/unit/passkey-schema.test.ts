/** The passkey routes' input rules: ids in URLs, names, and the challenge an answer signed. */
import { describe, expect, it } from 'vitest';
import { nameSchema, parsePasskeyId, signInSchema, signedChallenge } from '#lib/passkeys/schema.server.ts';

const clientData = (data: unknown) => Buffer.from(JSON.stringify(data)).toString('base64url');
const CHALLENGE = 'x'.repeat(43);

describe('passkey input', () => {
  it.each([
    ['1', 1],
    ['2147483647', 2_147_483_647],
    ['2147483648', null],
    ['0', null],
    ['01', null],
    ['-1', null],
    ['1.5', null],
    ['abc', null],
    ['', null],
    [undefined, null],
  ])('passkey id %j → %j', (raw, expected) => {
    expect(parsePasskeyId(raw)).toBe(expected);
  });

  it.each([
    ['  Laptop  ', 'Laptop'],
    ['Ünïcødé 🔑', 'Ünïcødé 🔑'],
    ['x'.repeat(64), 'x'.repeat(64)],
  ])('name %j is kept as %j', (raw, expected) => {
    expect(nameSchema.parse(raw)).toBe(expected);
  });

  it.each([['   '], ['x'.repeat(65)], ['tab\there'], ['nul\u0000'], ['del\u007f'], [42]])(
    'name %j is refused',
    (raw) => {
      expect(nameSchema.safeParse(raw).success).toBe(false);
    },
  );

  it.each([
    ['a challenge', clientData({ type: 'webauthn.get', challenge: CHALLENGE }), CHALLENGE],
    ['no challenge', clientData({ type: 'webauthn.get' }), null],
    ['a number', clientData({ challenge: 42 }), null],
    ['too short', clientData({ challenge: 'abc' }), null],
    ['not base64url', clientData({ challenge: `${'x'.repeat(40)}+/=` }), null],
    ['not JSON', Buffer.from('{').toString('base64url'), null],
  ])('signedChallenge: %s', (_label, encoded, expected) => {
    expect(signedChallenge(encoded)).toBe(expected);
  });

  /**
   * Signature sizes of the algorithms an authenticator may sign with: Ed25519 64 bytes, ES256 ~72,
   * RS256 256, and ML-DSA (FIPS 204) 2,420 / 3,309 / 4,627 — ML-DSA-44 is the first SimpleWebAuthn
   * offers and the one Chromium 156's virtual authenticator picks. A 2,048-character bound refused
   * every ML-DSA answer.
   */
  it.each([
    ['Ed25519', 64],
    ['ES256', 72],
    ['RS256', 256],
    ['ML-DSA-44', 2_420],
    ['ML-DSA-65', 3_309],
    ['ML-DSA-87', 4_627],
  ])('a sign-in answer signed with %s (%i bytes) is accepted', (_alg, bytes) => {
    expect(signInSchema.safeParse(signInBody(bytes)).success).toBe(true);
  });

  it('a signature one byte past the largest algorithm is refused', () => {
    expect(signInSchema.safeParse(signInBody(4_628)).success).toBe(false);
  });
});

function signInBody(signatureBytes: number) {
  const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64url');
  return {
    response: {
      id: b64(32),
      rawId: b64(32),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData({ type: 'webauthn.get', challenge: CHALLENGE }),
        authenticatorData: b64(37),
        signature: b64(signatureBytes),
      },
    },
  };
}
