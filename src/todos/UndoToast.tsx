/**
 * The undo offer after a delete: "Deleted “milk”  [Undo] [×]", shown for UNDO_OFFER_MS (held while
 * the pointer or focus is on it, so nobody is rushed), then withdrawn; the delete stands. It never
 * takes focus; the store says it in the polite status region. Without JavaScript it is a form
 * posting the ids to /todos/restore, shown on the page a delete redirected to (`?undo=`). With it,
 * the ids also go into the URL (`?undo=`), so a reload offers the same undo.
 */
import { useEffect, useState } from 'react';
import { todosPath, type TodoFilter } from './model.ts';
import { FilterField } from './FormFields.tsx';
import type { UndoOffer } from './messages.ts';

/** How long the offer stays (the server's window, UNDO_WINDOW_SECONDS, is much longer). */
const UNDO_OFFER_MS = 8000;

interface Props {
  offer: UndoOffer | null;
  filter: TodoFilter;
  onUndo: () => void;
  /** `closed`: the person closed it (else its time ran out). */
  onDismiss: (offerId: number, closed: boolean) => void;
}

/** The list's URL with `undo=` set to the offer's ids (or removed), replacing the history entry. */
function keepOfferInUrl(offer: UndoOffer | null) {
  const url = new URL(window.location.href);
  if (offer) url.searchParams.set('undo', offer.ids.join(','));
  else url.searchParams.delete('undo');
  const next = `${url.pathname}${url.search}${url.hash}`;
  if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, '', next);
  }
}

export function UndoToast({ offer, filter, onUndo, onDismiss }: Props) {
  const [held, setHeld] = useState(false);
  const offerId = offer?.id;

  // Again after a filter change, which writes the URL without it.
  useEffect(() => keepOfferInUrl(offer), [offer, filter]);

  useEffect(() => {
    if (offerId === undefined || held) return;
    const timer = setTimeout(() => onDismiss(offerId, false), UNDO_OFFER_MS);
    return () => clearTimeout(timer);
  }, [offerId, held, onDismiss]);

  if (!offer) return null;
  return (
    <form
      method="post"
      action="/todos/restore"
      className="notice todo-undo"
      data-testid="undo-offer"
      onSubmit={(event) => {
        event.preventDefault();
        onUndo();
      }}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(event) => {
        if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) setHeld(false);
      }}
    >
      <p>{offer.text}</p>
      <input type="hidden" name="ids" value={offer.ids.join(',')} />
      <FilterField filter={filter} />
      <button type="submit" className="button button--small todo-undo__undo">
        Undo
      </button>
      <a
        href={todosPath(filter)}
        className="todo-undo__close"
        aria-label="Close"
        onClick={(event) => {
          event.preventDefault();
          onDismiss(offer.id, true);
        }}
      >
        <span aria-hidden="true">×</span>
      </a>
    </form>
  );
}
