/**
 * The passkey statements (src/lib/passkeys/store.server.ts) on both engines: owner-scoped reads
 * and writes (another user's passkey is "not found", a revoked session touches nothing), challenges
 * spent once and only by their owner, the counter's compare-and-set, and the cascade on deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/db/index.server.ts';
import { ownerById, sessionOwner } from '#lib/auth/session-owner.server.ts';
import { hashSessionToken } from '#lib/auth/session-token.server.ts';
import {
  addPasskey,
  listPasskeys,
  recordPasskeyUse,
  removePasskey,
  renamePasskey,
  storeRegistrationChallenge,
  storeSignInChallenge,
  takeSignInChallenge,
  type NewPasskey,
} from '#lib/passkeys/store.server.ts';
import { BACKENDS, migratedDatabase } from '../support/databases.ts';
import { newUser } from '../support/users.ts';

let serial = 0;
const credential = (overrides: Partial<NewPasskey> = {}): NewPasskey => ({
  credentialId: `cred-${Date.now()}-${serial++}`,
  publicKey: 'cHVibGlj',
  counter: 0,
  transports: ['internal', 'hybrid'],
  deviceType: 'multiDevice',
  backedUp: true,
  name: null,
  ...overrides,
});
const challenge = () => `challenge-${Date.now()}-${serial++}-xxxxxxxxxxxxxxxx`;

describe.each(BACKENDS)('passkey statements on %s', (backend) => {
  let database: Database;
  let ann: number;
  let bob: number;

  beforeAll(async () => {
    database = await migratedDatabase(backend);
    ann = await newUser(database, `ann.${backend}@example.com`);
    bob = await newUser(database, `bob.${backend}@example.com`);
  });
  afterAll(async () => database?.end());

  async function add(userId: number, passkey = credential()) {
    const c = challenge();
    await storeRegistrationChallenge(database, ownerById(userId), c);
    return addPasskey(database, ownerById(userId), c, passkey);
  }

  it('adds with a live challenge of the owner only, once; names count up; transports and flags kept', async () => {
    const first = await add(ann);
    expect(first).toMatchObject({ added: { name: 'Passkey 1', deviceType: 'multiDevice', backedUp: true } });
    const second = await add(ann, credential({ name: 'Phone' }));
    expect(second).toMatchObject({ added: { name: 'Phone' } });
    expect((await add(ann))!.added!.name).toBe('Passkey 3');

    const c = challenge();
    await storeRegistrationChallenge(database, ownerById(ann), c);
    expect(await addPasskey(database, ownerById(bob), c, credential())).toEqual({ added: null, reason: 'challenge' });
    const passkey = credential();
    expect(await addPasskey(database, ownerById(ann), c, passkey)).toMatchObject({ added: { name: 'Passkey 4' } });
    expect(await addPasskey(database, ownerById(ann), c, credential())).toEqual({ added: null, reason: 'challenge' });
    // The same credential again (on a fresh challenge): not stored twice.
    const again = challenge();
    await storeRegistrationChallenge(database, ownerById(ann), again);
    expect(await addPasskey(database, ownerById(ann), again, passkey)).toEqual({ added: null, reason: 'duplicate' });
    const { rows } = await database.query<{ transports: string[] }>(
      'SELECT transports FROM passkeys WHERE credential_id = $1',
      [passkey.credentialId],
    );
    expect(rows[0]!.transports).toEqual(['internal', 'hybrid']);
  });

  it('an expired registration challenge is spent but adds nothing', async () => {
    const c = challenge();
    await storeRegistrationChallenge(database, ownerById(bob), c);
    await database.query(`UPDATE passkey_challenges SET expires = now() - interval '1 second' WHERE challenge = $1`, [
      c,
    ]);
    expect(await addPasskey(database, ownerById(bob), c, credential())).toEqual({ added: null, reason: 'challenge' });
    expect((await database.query('SELECT 1 FROM passkey_challenges WHERE challenge = $1', [c])).rows).toEqual([]);
  });

  it("lists, renames and removes the owner's passkeys only", async () => {
    const bobs = (await add(bob))!.added!;
    const anns = (await listPasskeys(database, ownerById(ann)))!;
    expect(anns.length).toBeGreaterThanOrEqual(4);
    expect(anns.map((p) => p.id)).not.toContain(bobs.id);

    expect(await renamePasskey(database, ownerById(ann), bobs.id, 'Mine')).toEqual({ passkey: null });
    expect(await removePasskey(database, ownerById(ann), bobs.id)).toEqual({ removed: false });
    expect(await renamePasskey(database, ownerById(bob), bobs.id, 'Laptop')).toMatchObject({
      passkey: { id: bobs.id, name: 'Laptop' },
    });
    expect(await removePasskey(database, ownerById(bob), bobs.id)).toEqual({ removed: true });
    expect(await listPasskeys(database, ownerById(bob))).toEqual([]);
  });

  it('a signed-out owner (no session row) reads and writes nothing', async () => {
    const nobody = sessionOwner('no-such-session');
    const anns = (await listPasskeys(database, ownerById(ann)))!;
    expect(await listPasskeys(database, nobody)).toBeNull();
    expect(await renamePasskey(database, sessionOwner('no-such-session'), anns[0]!.id, 'x')).toBeNull();
    expect(await removePasskey(database, sessionOwner('no-such-session'), anns[0]!.id)).toBeNull();
    expect(await storeRegistrationChallenge(database, sessionOwner('no-such-session'), challenge())).toBeNull();
    expect((await listPasskeys(database, ownerById(ann)))!.length).toBe(anns.length);
  });

  it('with a live session: the registration start names the user and the passkeys to exclude', async () => {
    await database.query(
      `INSERT INTO sessions ("userId", expires, "sessionToken") VALUES ($1, now() + interval '1 day', $2)`,
      [ann, hashSessionToken(`token-${backend}`)],
    );
    const start = await storeRegistrationChallenge(database, sessionOwner(`token-${backend}`), challenge());
    expect(start).toMatchObject({ email: `ann.${backend}@example.com`, userId: ann });
    expect(start!.existing.length).toBe((await listPasskeys(database, ownerById(ann)))!.length);
    expect(start!.existing[0]).toEqual({ id: expect.any(String), transports: expect.any(Array) });
  });

  it('a sign-in challenge is taken once; the counter is compare-and-set', async () => {
    const passkey = credential();
    await add(ann, passkey);
    const c = challenge();
    await storeSignInChallenge(database, c);
    const taken = await takeSignInChallenge(database, c, passkey.credentialId);
    expect(taken).toMatchObject({ challengeLive: true, credential: { userId: ann, counter: 0 } });
    expect(await takeSignInChallenge(database, c, passkey.credentialId)).toMatchObject({ challengeLive: false });

    const use = { counter: 5, deviceType: 'multiDevice' as const, backedUp: false };
    expect(await recordPasskeyUse(database, taken.credential!, use)).toBe(true);
    // A second use verified against the same old counter (a race, or a replay) loses.
    expect(await recordPasskeyUse(database, taken.credential!, { ...use, counter: 6 })).toBe(false);
    const [listed] = (await listPasskeys(database, ownerById(ann)))!.filter((p) => p.lastUsedAt);
    expect(listed).toMatchObject({ backedUp: false, lastUsedAt: expect.any(String) });

    const unknown = challenge();
    await storeSignInChallenge(database, unknown);
    expect(await takeSignInChallenge(database, unknown, 'nobody')).toEqual({ challengeLive: true, credential: null });
  });

  it('deleting the user deletes their passkeys and challenges', async () => {
    const carol = await newUser(database, `carol.${backend}@example.com`);
    await add(carol);
    await storeRegistrationChallenge(database, ownerById(carol), challenge());
    await database.query('DELETE FROM users WHERE id = $1', [carol]);
    expect((await database.query('SELECT 1 FROM passkeys WHERE user_id = $1', [carol])).rows).toEqual([]);
    expect((await database.query('SELECT 1 FROM passkey_challenges WHERE user_id = $1', [carol])).rows).toEqual([]);
  });
});
