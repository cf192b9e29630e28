/**
 * The todo island's state and its mutations, kept outside React so the rules are in one place.
 *
 * Every change is optimistic: the list changes at once, then the server is told. The store keeps
 * the last state the server confirmed for each todo; when the server refuses (or the network
 * fails) the item goes back to that state and a message says what happened.
 *
 * Per todo there is at most one PATCH in flight. Changes made meanwhile only change the local
 * item; when the answer arrives the store compares the item with the confirmed state and sends
 * the difference, with explicit values. So rapid clicks on a checkbox end, on screen and on the
 * server, in the state the person chose last, however the responses are ordered.
 *
 * Bulk changes (mark all, clear completed) are barriers: they wait until every request sent
 * before them has been answered, and requests caused after them wait until they are answered, so
 * the server applies changes in the order the person made them (request-sequencer.ts).
 *
 * `refresh()` (on a live change, focus or visibility) replaces the list with the server's, so two tabs or devices
 * converge; it only applies when no change of ours is under way, or it would undo one on screen.
 *
 * A delete (one todo, or clear completed) leaves an undo offer (`undoOffer`); `undo()` puts the todos
 * back at once and asks the server to restore them (a soft delete there, within its window). The
 * restore is a bulk request, so it reaches the server after the delete it undoes. A failed change
 * whose failure may pass (network, 5xx) carries `retry` in its message: `retry()` sends the same
 * explicit state again.
 */
import type { Todo } from './model.ts';
import { ApiError, todoApi, type TodoPatch } from './client.ts';
import { announce, failed, failureMessage, type TodoMessage, type UndoOffer } from './messages.ts';
import { RequestSequencer } from './request-sequencer.ts';

/** A todo as shown. `key` stays the same when a new todo's temporary id becomes the server's. */
export interface TodoItem extends Todo {
  key: string;
  /** True until the server has created it (the id is temporary and negative). */
  pending: boolean;
}

export interface TodoState {
  items: TodoItem[];
  /** The latest problem, shown in an alert region until dismissed or replaced. */
  message: TodoMessage | null;
  /** Polite status text for screen readers (e.g. "Deleted “buy milk”"). */
  announcement: string;
  /** The latest delete, offered for undo until dismissed, undone or replaced by another. */
  undoOffer: UndoOffer | null;
}

/** The API calls the store makes; injectable so the rules can be tested without a server. */
export type TodoApi = typeof todoApi;

/** Owns the list of todos and every way it can change. */
export class TodoStore {
  private state: TodoState;
  private readonly api: TodoApi;
  private readonly listeners = new Set<() => void>();
  /** Last server-confirmed state of each created todo, by server id. */
  private readonly confirmed = new Map<number, Todo>();
  /** Server ids with a PATCH in flight. */
  private readonly inFlight = new Set<number>();
  /** Keys of new todos deleted before the server had created them. */
  private readonly deletedBeforeCreated = new Set<string>();
  /** Every request goes through it: item requests side by side, bulk ones alone. */
  private readonly requests = new RequestSequencer(() => this.runWantedRefresh());
  /** Bumped by every change the person makes; a refresh that saw it move is out of date. */
  private changeCount = 0;
  private refreshing = false;
  /** A refresh was asked for while busy: run it once everything is answered. */
  private refreshWanted = false;
  private nextTempId = -1;
  private messageId = 0;
  private offerId = 0;
  /** The todos the current undo offer would put back on screen (empty when only their ids are known). */
  private undoItems: TodoItem[] = [];
  /** The ids the server actually deleted for an offer, once it has answered (clear completed). */
  private readonly deletedIdsOf = new Map<number, number[]>();

  /** `initialUndoIds`: a delete the page was told about in its URL (`?undo=`), offered for undo. */
  constructor(
    initialTodos: Todo[],
    api: TodoApi = todoApi,
    initialError: string | null = null,
    initialUndoIds: number[] | null = null,
  ) {
    this.api = api;
    for (const todo of initialTodos) this.confirmed.set(todo.id, todo);
    this.state = {
      items: initialTodos.map((todo) => ({ ...todo, key: String(todo.id), pending: false })),
      message: initialError ? { id: ++this.messageId, text: initialError, signIn: false } : null,
      announcement: '',
      undoOffer: initialUndoIds?.length
        ? { id: ++this.offerId, text: announce.deletedCount(initialUndoIds.length), ids: initialUndoIds }
        : null,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TodoState => this.state;

  /** Add a todo. Resolves false if the server refused it (the item is then gone again). */
  add = async (content: string): Promise<boolean> => {
    const text = content.trim();
    if (!text) return true;
    const tempId = this.nextTempId--;
    const key = `new${-tempId}`;
    this.changeCount++;
    const item: TodoItem = {
      id: tempId,
      content: text,
      completed: false,
      createdAt: new Date().toISOString(),
      key,
      pending: true,
    };
    this.setItems([...this.state.items, item]);

    let saved: Todo;
    try {
      saved = await this.requests.send(() => this.api.createTodo(text));
    } catch (error) {
      const wasDeleted = this.deletedBeforeCreated.delete(key);
      this.removeItem(key);
      if (wasDeleted) return true;
      this.fail(error, failed.add(text), true, () => void this.add(text));
      return false;
    }

    this.confirmed.set(saved.id, saved);
    if (this.deletedBeforeCreated.delete(key)) {
      // Deleted while the server was creating it: delete it there too (and restore it if that fails).
      void this.deleteOnServer({ ...saved, key, pending: false });
      return true;
    }
    const current = this.find(key);
    if (!current) return true;
    if (current.content === text && !current.completed) {
      this.replaceItem(key, { ...saved, key, pending: false });
    } else {
      // Edited or ticked while it was being created: keep those changes and send them now.
      this.replaceItem(key, { ...current, id: saved.id, createdAt: saved.createdAt, pending: false });
      void this.sync(key);
    }
    this.announce(announce.added(saved.content));
    return true;
  };

  /** Mark a todo done or not done (an explicit value, never a toggle). */
  setCompleted = (key: string, completed: boolean): void => {
    const item = this.find(key);
    if (!item || item.completed === completed) return;
    this.changeCount++;
    this.replaceItem(key, { ...item, completed });
    void this.sync(key);
  };

  /** Change a todo's text; empty text deletes the todo. */
  setContent = (key: string, content: string): void => {
    const item = this.find(key);
    if (!item) return;
    const text = content.trim();
    if (!text) return this.remove(key);
    if (text === item.content) return;
    this.changeCount++;
    this.replaceItem(key, { ...item, content: text });
    void this.sync(key);
  };

  /** Delete a todo. */
  remove = (key: string): void => {
    const item = this.find(key);
    if (!item) return;
    this.changeCount++;
    this.removeItem(key);
    if (item.pending) {
      this.announce(announce.deleted(item.content));
      this.deletedBeforeCreated.add(key);
      return;
    }
    this.offerUndo(announce.deleted(item.content), [item]);
    void this.deleteOnServer(item);
  };

  /** Hide the current message. */
  dismissMessage = (): void => {
    this.setState({ ...this.state, message: null });
  };

  /** Hide the current message and send the change it is about again. */
  retry = (): void => {
    const retry = this.state.message?.retry;
    this.dismissMessage();
    retry?.();
  };

  /** Put back what the current undo offer deleted: on screen at once, then on the server. */
  undo = (): void => {
    const offer = this.state.undoOffer;
    if (!offer) return;
    const items = this.undoItems;
    this.undoItems = [];
    this.setState({ ...this.state, undoOffer: null });
    void this.restore(offer, items);
  };

  /** Withdraw the undo offer `offerId` (its time is up, or the person closed it); the delete stands. */
  dismissUndo = (offerId: number): void => {
    if (this.state.undoOffer?.id !== offerId) return;
    this.undoItems = [];
    this.deletedIdsOf.delete(offerId);
    this.setState({ ...this.state, undoOffer: null });
  };

  /** Mark every todo done (or not done): one request, and the screen changes at once. */
  setAllCompleted = (completed: boolean): void => {
    const { items } = this.state;
    if (items.length === 0 || items.every((item) => item.completed === completed)) return;
    this.changeCount++;
    this.setItems(items.map((item) => ({ ...item, completed })));
    this.announce(announce.completeAll(completed));
    void this.completeAllOnServer(completed);
  };

  /** Delete every completed todo: one request, and they leave the screen at once. */
  clearCompleted = (): void => {
    const done = this.state.items.filter((item) => item.completed);
    if (done.length === 0) return;
    this.changeCount++;
    this.setItems(this.state.items.filter((item) => !item.completed));
    for (const item of done) if (item.pending) this.deletedBeforeCreated.add(item.key);
    const removed = done.filter((item) => !item.pending);
    const offerId = this.offerUndo(announce.cleared(done.length), removed);
    void this.clearOnServer(removed, offerId);
  };

  /**
   * Replace the list with the server's (another tab or device may have changed it). Skipped, and
   * retried once everything is answered, while any change of ours is under way.
   */
  refresh = async (): Promise<void> => {
    if (this.refreshing) {
      // The list being fetched may predate what asked for this one (a live change): fetch again after.
      this.refreshWanted = true;
      return;
    }
    if (this.busy()) {
      this.refreshWanted = true;
      return;
    }
    this.refreshing = true;
    const changesBefore = this.changeCount;
    try {
      const todos = await this.api.listTodos();
      if (this.changeCount !== changesBefore || this.busy()) {
        this.refreshWanted = true; // changed meanwhile: this list may predate that change
        return;
      }
      this.confirmed.clear();
      for (const todo of todos) this.confirmed.set(todo.id, todo);
      const keys = new Map(this.state.items.map((item) => [item.id, item.key]));
      this.setItems(todos.map((todo) => ({ ...todo, key: keys.get(todo.id) ?? String(todo.id), pending: false })));
    } catch (error) {
      // A network blip is retried on the next focus; an ended session needs the person.
      if (error instanceof ApiError && error.status === 401) this.fail(error, failed.refresh());
    } finally {
      this.refreshing = false;
      this.runWantedRefresh();
    }
  };

  /**
   * The server said this session is over (signed out here or elsewhere, or revoked): show the
   * "sign in again" message without asking for a list it would refuse.
   */
  sessionEnded = (): void => {
    this.fail(new ApiError(401, 'unauthorized', 'Your session has ended.'), failed.sessionEnded(), false);
  };

  /** Send the difference between the item on screen and the server's state, one PATCH at a time. */
  private async sync(key: string): Promise<void> {
    const first = this.find(key);
    if (!first || first.pending || this.inFlight.has(first.id)) return;
    const { id } = first;
    this.inFlight.add(id);
    // Computed after any bulk change ahead of it, so the difference is against the latest state.
    await this.requests.waitForTurn();
    const item = this.find(key);
    const base = this.confirmed.get(id);
    const patch: TodoPatch = {};
    if (item && base) {
      if (item.completed !== base.completed) patch.completed = item.completed;
      if (item.content !== base.content) patch.content = item.content;
    }
    if (!item || !base || (patch.completed === undefined && patch.content === undefined)) {
      this.inFlight.delete(id);
      return;
    }

    try {
      const saved = await this.requests.send(() => this.api.updateTodo(id, patch));
      this.inFlight.delete(id);
      this.confirmed.set(id, saved);
      const current = this.find(key);
      if (!current) return; // deleted meanwhile
      if (current.completed === item.completed && current.content === item.content) {
        this.replaceItem(key, { ...saved, key, pending: false });
      } else {
        void this.sync(key); // changed again while this request was out: send the new difference
      }
    } catch (error) {
      this.inFlight.delete(id);
      const current = this.find(key);
      if (!current) return; // deleted meanwhile; the delete reports its own outcome
      if (error instanceof ApiError && error.status === 404) {
        this.confirmed.delete(id);
        this.removeItem(key);
        this.fail(error, failed.gone(base.content), false);
        return;
      }
      this.replaceItem(key, { ...base, key, pending: false });
      this.fail(error, failed.update(base.content), true, () => this.reapply(key, patch));
    }
  }

  /** Make the change `patch` describes again (explicit values), as a retry. */
  private reapply(key: string, patch: TodoPatch): void {
    const item = this.find(key);
    if (!item) return;
    this.changeCount++;
    this.replaceItem(key, { ...item, ...patch });
    void this.sync(key);
  }

  private async completeAllOnServer(completed: boolean): Promise<void> {
    let saved: Todo[];
    try {
      saved = await this.requests.sendAlone(() => this.api.completeAll(completed));
    } catch (error) {
      // Each todo the bulk change set goes back to its last confirmed state.
      this.setItems(
        this.state.items.map((item) => {
          const base = this.confirmed.get(item.id);
          return base && !item.pending && item.completed === completed ? { ...item, completed: base.completed } : item;
        }),
      );
      this.fail(error, failed.completeAll(completed), true, () => this.setAllCompleted(completed));
      this.syncAll();
      return;
    }
    for (const todo of saved) this.confirmed.set(todo.id, todo);
    this.syncAll(); // send anything changed while the bulk request was out
  }

  private async clearOnServer(removed: TodoItem[], offerId: number | null): Promise<void> {
    let deletedIds: number[];
    try {
      ({ deletedIds } = await this.requests.sendAlone(() => this.api.clearCompleted()));
    } catch (error) {
      if (offerId !== null) this.dismissUndo(offerId);
      for (const item of removed) if (!this.find(item.key)) this.insertInOrder(item);
      this.fail(error, failed.clearCompleted(), true, () => this.clearCompleted());
      this.syncAll();
      return;
    }
    // Undo restores what the server deleted (also what another tab had completed meanwhile).
    if (offerId !== null) this.deletedIdsOf.set(offerId, deletedIds);
    if (this.state.undoOffer?.id === offerId)
      this.setState({ ...this.state, undoOffer: { ...this.state.undoOffer, ids: deletedIds } });
    const deleted = new Set(deletedIds);
    for (const id of deleted) this.confirmed.delete(id);
    // Completed on the server by another tab: gone there, so gone here too.
    this.setItems(this.state.items.filter((item) => item.pending || !deleted.has(item.id)));
    // Not deleted because another tab had un-completed them: they still exist, so show them.
    if (removed.some((item) => !deleted.has(item.id))) this.refreshWanted = true;
    this.runWantedRefresh();
  }

  private syncAll(): void {
    for (const item of this.state.items) void this.sync(item.key);
  }

  private runWantedRefresh(): void {
    if (!this.refreshWanted || this.busy()) return;
    this.refreshWanted = false;
    void this.refresh();
  }

  /** True while any change of ours is unsent or unanswered. */
  private busy(): boolean {
    return (
      this.requests.busy ||
      this.inFlight.size > 0 ||
      this.state.items.some((item) => item.pending) ||
      this.deletedBeforeCreated.size > 0
    );
  }

  private async deleteOnServer(item: TodoItem): Promise<void> {
    try {
      await this.requests.send(() => this.api.deleteTodo(item.id));
      this.confirmed.delete(item.id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.confirmed.delete(item.id); // already gone, which is what was asked
        return;
      }
      const offer = this.state.undoOffer;
      if (offer && offer.ids.length === 1 && offer.ids[0] === item.id) this.dismissUndo(offer.id);
      if (!this.find(item.key)) this.insertInOrder(item); // (unless an undo already put it back)
      this.fail(error, failed.delete(item.content), true, () => this.remove(item.key));
      void this.sync(item.key); // a change may have been dropped while it was off the list
    }
  }

  /** Offers to undo a delete of `items` (their server ids), says so, and returns the offer's id (null: nothing to undo). */
  private offerUndo(text: string, items: TodoItem[]): number | null {
    if (items.length === 0) {
      this.announce(text);
      return null;
    }
    const offer: UndoOffer = { id: ++this.offerId, text, ids: items.map((item) => item.id) };
    this.undoItems = items;
    this.setState({ ...this.state, undoOffer: offer, announcement: announce.undoable(text) });
    return offer.id;
  }

  /**
   * Restores an offer's todos: those known go back on screen at once; the request waits for the
   * delete it undoes (a bulk request) and restores the ids the server deleted. On failure the
   * todos the server still holds as deleted leave the screen again, with a message.
   */
  private async restore(offer: UndoOffer, items: TodoItem[]): Promise<void> {
    this.changeCount++;
    for (const item of items) if (!this.find(item.key)) this.insertInOrder(item);
    this.announce(announce.restored(offer.ids.length));
    let restored: Todo[];
    try {
      restored = await this.requests.sendAlone(() =>
        this.api.restoreTodos(this.deletedIdsOf.get(offer.id) ?? offer.ids),
      );
    } catch (error) {
      // Still live on the server (its delete failed): it stays. Deleted there: it goes again.
      for (const item of items) if (!this.confirmed.has(item.id)) this.removeItem(item.key);
      this.fail(error, failed.restore(offer.ids.length), true, () => {
        this.undoItems = items;
        this.setState({ ...this.state, undoOffer: offer });
        this.undo();
      });
      this.syncAll();
      return;
    }
    this.deletedIdsOf.delete(offer.id);
    const back = new Set(restored.map((todo) => todo.id));
    for (const todo of restored) {
      this.confirmed.set(todo.id, todo);
      // Known ones are on screen already (perhaps changed again meanwhile: syncAll sends that).
      if (!this.state.items.some((item) => item.id === todo.id)) {
        this.insertInOrder({ ...todo, key: String(todo.id), pending: false });
      }
    }
    const missing = items.filter((item) => !back.has(item.id) && !this.confirmed.has(item.id));
    for (const item of missing) this.removeItem(item.key);
    if (missing.length > 0) this.fail(null, failed.restorePartial(), false);
    this.syncAll();
  }

  private fail(error: unknown, what: string, showReason = true, retry?: () => void): void {
    this.setState({ ...this.state, message: failureMessage(++this.messageId, error, what, showReason, retry) });
  }

  /** Say `text` in the polite status region (screen readers read it out). */
  announce = (text: string): void => {
    this.setState({ ...this.state, announcement: text });
  };

  private find(key: string): TodoItem | undefined {
    return this.state.items.find((item) => item.key === key);
  }

  private replaceItem(key: string, next: TodoItem): void {
    this.setItems(this.state.items.map((item) => (item.key === key ? next : item)));
  }

  private removeItem(key: string): void {
    this.setItems(this.state.items.filter((item) => item.key !== key));
  }

  /** Put a created todo back in oldest-first order (server ids grow; new, pending ones are last). */
  private insertInOrder(item: TodoItem): void {
    const items = [...this.state.items];
    const index = items.findIndex((other) => other.pending || other.id > item.id);
    items.splice(index === -1 ? items.length : index, 0, item);
    this.setItems(items);
  }

  private setItems(items: TodoItem[]): void {
    this.setState({ ...this.state, items });
  }

  private setState(next: TodoState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
