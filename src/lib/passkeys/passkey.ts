/**
 * A passkey as `/api/passkeys` answers it and `/account` lists it: the one shape the server's
 * statements (store.server.ts) and the page's script (src/components/passkeys/PasskeyManager.astro)
 * share. Types only, so the browser may import it.
 */
export interface PasskeySummary {
  id: number;
  name: string;
  /** `multiDevice`: may be synced between devices; `singleDevice`: bound to one authenticator. */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}
