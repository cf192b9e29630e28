/**
 * A server island's request carries its component's export name, props and slots encrypted
 * (AES-GCM, the build's key). Astro 7 decrypts them with WebCrypto on every request, although the
 * same few ciphertexts come back again and again (the prerendered pages' account menu: one per
 * page, written at build time): 17 % of the signed-in island's CPU (README → Performance). This
 * transform makes the endpoint's three decryptions ask a module-level memo: the first request
 * decrypts (exactly as before), later ones with the same ciphertext, additional data and key read
 * the plaintext. Only what decrypted is kept — a forged or damaged value fails as before, every
 * time — and at most 512 entries.
 *
 * The snippets must match Astro's source exactly: when an Astro update changes them, the build
 * fails here (then check whether Astro caches these itself and remove this module, or update it).
 */
import { moduleRewrite, SETTLED_ONCE } from './exact-replace.ts';

/** Astro's server-island endpoint (the `/_server-islands/<name>` route). */
export const ASTRO_ISLAND_ENDPOINT = /[\\/]astro[\\/]dist[\\/]core[\\/]server-islands[\\/]endpoint\.js$/;

const REPLACEMENTS: Array<[string, string]> = [
  [`      componentExport = await decryptString(`, `      componentExport = await __decryptStringOnce(`],
  [
    'const propString = await decryptString(key, encryptedProps, `props:${componentId}`);',
    'const propString = await __decryptStringOnce(key, encryptedProps, `props:${componentId}`);',
  ],
  [
    'const slotsString = await decryptString(key, encryptedSlots, `slots:${componentId}`);',
    'const slotsString = await __decryptStringOnce(key, encryptedSlots, `slots:${componentId}`);',
  ],
];

/** Plaintext by key, then by additional data and ciphertext: a promise until it settles, then the string. */
export const ISLAND_DECRYPT_MEMO = `${SETTLED_ONCE}
const __islandPlaintexts = new WeakMap();
function __decryptStringOnce(key, encoded, additionalData) {
  let byValue = __islandPlaintexts.get(key);
  if (!byValue) __islandPlaintexts.set(key, byValue = new Map());
  // Bounded: a build has a few island ciphertexts; many distinct valid ones only restart the memo.
  return __settledOnce(byValue, additionalData + '\\n' + encoded, decryptString, key, encoded, additionalData);
}
`;

const ISLAND_DECRYPT_ONCE = moduleRewrite({
  name: 'astro-island-decrypt-once',
  file: ASTRO_ISLAND_ENDPOINT,
  module: "Astro's server-islands/endpoint.js",
  replacements: REPLACEMENTS,
  helpers: ISLAND_DECRYPT_MEMO,
  advice:
    'If Astro now decrypts each island value once, remove src/build/astro-island-decrypt-once.ts; otherwise update the snippets.',
});

/** Astro's server-island endpoint with its decryptions memoised (throws when a snippet is missing). */
export const rewriteIslandDecryption = ISLAND_DECRYPT_ONCE.rewrite;
export const astroIslandDecryptOnce = ISLAND_DECRYPT_ONCE.plugin;
