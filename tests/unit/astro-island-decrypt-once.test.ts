/**
 * src/build/astro-island-decrypt-once.ts makes Astro's server-island endpoint decrypt each
 * distinct island value once instead of on every request. Checked against the Astro installed
 * here, with its own AES-GCM functions: the endpoint's three decryptions go through the memo, the
 * memo decrypts each (key, additional data, ciphertext) once, a forged value fails every time and
 * is never kept, another key is not answered from the memo, and a changed Astro fails the build.
 */
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ISLAND_DECRYPT_MEMO, rewriteIslandDecryption } from '#build/astro-island-decrypt-once.ts';
import { astroDistFile, astroDistSource } from '../support/astro-dist.ts';

type Decrypt = (key: CryptoKey, encoded: string, additionalData: string) => Promise<string>;
interface AstroEncryption {
  createKey(): Promise<CryptoKey>;
  encryptString(key: CryptoKey, raw: string, additionalData: string): Promise<string>;
  decryptString: Decrypt;
}

const source = astroDistSource('core/server-islands/endpoint.js');
let astro: AstroEncryption;

beforeAll(async () => {
  astro = (await import(pathToFileURL(astroDistFile('core/encryption.js')).href)) as AstroEncryption;
});

/** The memo as the rewritten module defines it, over `decryptString`. */
function memoOver(decryptString: Decrypt): (...args: Parameters<Decrypt>) => Promise<string> | string {
  return new Function('decryptString', `${ISLAND_DECRYPT_MEMO}\nreturn __decryptStringOnce;`)(decryptString) as never;
}

describe('astro-island-decrypt-once', () => {
  it("sends the endpoint's three decryptions (export name, props, slots) through the memo", () => {
    const rewritten = rewriteIslandDecryption(source);
    expect(rewritten.match(/await decryptString\(/g)).toBeNull();
    expect(rewritten.match(/await __decryptStringOnce\(/g)).toHaveLength(3);
    // ...and the original decrypted there, so this notices if the rewrite stops applying.
    expect(source.match(/await decryptString\(/g)).toHaveLength(3);
  });

  it("decrypts each value once with Astro's own AES-GCM, then answers with the plaintext", async () => {
    const key = await astro.createKey();
    const encrypted = await astro.encryptString(key, 'AccountMenu', 'export:island-1');
    const decrypt = vi.fn(astro.decryptString);
    const once = memoOver(decrypt);
    expect(await once(key, encrypted, 'export:island-1')).toBe('AccountMenu');
    expect(await once(key, encrypted, 'export:island-1')).toBe('AccountMenu');
    expect(once(key, encrypted, 'export:island-1')).toBe('AccountMenu'); // settled: no WebCrypto at all
    expect(decrypt).toHaveBeenCalledTimes(1);
    // The additional data is part of what was decrypted: another one is decrypted (and refused) itself.
    await expect(once(key, encrypted, 'props:island-1')).rejects.toThrow();
    // Another key gets nothing from the memo.
    await expect(once(await astro.createKey(), encrypted, 'export:island-1')).rejects.toThrow();
    expect(decrypt).toHaveBeenCalledTimes(3);
  });

  it('refuses a forged value every time and keeps nothing of it', async () => {
    const key = await astro.createKey();
    const encrypted = await astro.encryptString(key, '{"a":1}', 'props:island-1');
    const forged = encrypted.slice(0, -2) + (encrypted.endsWith('AA') ? 'AB' : 'AA');
    const decrypt = vi.fn(astro.decryptString);
    const once = memoOver(decrypt);
    await expect(once(key, forged, 'props:island-1')).rejects.toThrow();
    await Promise.resolve();
    await expect(once(key, forged, 'props:island-1')).rejects.toThrow();
    expect(decrypt).toHaveBeenCalledTimes(2);
    expect(await once(key, encrypted, 'props:island-1')).toBe('{"a":1}');
  });

  it('refuses an Astro whose code it does not recognise', () => {
    expect(() =>
      rewriteIslandDecryption(source.replace('await decryptString(key, encryptedProps', 'await x(key, encryptedProps')),
    ).toThrow(/astro-island-decrypt-once: Astro's server-islands\/endpoint.js no longer contains/);
  });
});
