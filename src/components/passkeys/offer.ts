/**
 * Whether this browser has answered the passkey offer: dismissed it, added a passkey, or signed
 * in with one (localStorage; a hint for the banner only, never a security decision).
 */
export const OFFER_DONE = 'passkey-offer-done';

export function offerDone(): boolean {
  try {
    return localStorage.getItem(OFFER_DONE) === '1';
  } catch {
    return false; // storage blocked: offer again, harmlessly
  }
}

export function markOfferDone(): void {
  try {
    localStorage.setItem(OFFER_DONE, '1');
  } catch {
    // storage blocked: the offer comes back next time
  }
}
