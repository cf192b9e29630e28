/**
 * Live sync, browser side: while /todos is open, one EventSource on /api/todos/events (see
 * src/lib/live/). Every `change` or `refresh` asks the store to refresh, which fetches the list
 * (one round trip) and applies it only when no change of this page is under way (store.ts): so a
 * remote change never disturbs an edit in progress or an optimistic change in flight, and this
 * page's own changes, echoed back, find the list already as the server has it. `end` (the session
 * was revoked) stops listening; the refresh then shows the "sign in again" message.
 * The browser reconnects a dropped stream by itself, sending the last event id to resume from.
 */

/** What the stream is doing (shown as `data-live` on the island, for tests and curious people). */
export type LiveState = 'connecting' | 'open' | 'closed';

/**
 * Follows the signed-in user's changes from `since` (when the page's list was read, in server
 * milliseconds); returns the function that stops. `onEnded` runs when the server ends the stream
 * because the session is over. No EventSource (very old browsers): nothing, the focus refresh
 * still works.
 */
export function followChanges(
  since: number | null,
  onChange: () => void,
  onState: (state: LiveState) => void,
  onEnded: () => void,
): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(since === null ? '/api/todos/events' : `/api/todos/events?since=${since}`);
  onState('connecting');
  source.addEventListener('open', () => onState('open'));
  source.addEventListener('change', onChange);
  source.addEventListener('refresh', onChange);
  source.addEventListener('end', () => {
    source.close();
    onState('closed');
    onEnded();
  });
  // A refused stream (401, 429) is not retried by the browser; a dropped one is.
  source.addEventListener('error', () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting'));
  return () => source.close();
}
