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
 */
import type { Todo } from '../lib/todo-schema.ts';
import * as client from '../lib/todos-client.ts';
import { ApiError } from '../lib/todos-client.ts';

/** A todo as shown. `key` stays the same when a new todo's temporary id becomes the server's. */
export interface TodoItem extends Todo {
  key: string;
  /** True until the server has created it (the id is temporary and negative). */
  pending: boolean;
}

/** A visible message about a change that didn't go through. */
export interface TodoMessage {
  id: number;
  text: string;
  /** The session ended: show a link to sign in again. */
  signIn: boolean;
}

export interface TodoState {
  items: TodoItem[];
  /** The latest problem, shown in an alert region until dismissed or replaced. */
  message: TodoMessage | null;
  /** Polite status text for screen readers (e.g. "Deleted “buy milk”"). */
  announcement: string;
}

/** The API calls the store makes; injectable so the rules can be tested without a server. */
export type TodoApi = Pick<typeof client, 'createTodo' | 'updateTodo' | 'deleteTodo'>;

export const SIGN_IN_URL = '/signin?callbackUrl=/todos';

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
  private nextTempId = -1;
  private messageId = 0;

  constructor(initialTodos: Todo[], api: TodoApi = client) {
    this.api = api;
    for (const todo of initialTodos) this.confirmed.set(todo.id, todo);
    this.state = {
      items: initialTodos.map((todo) => ({ ...todo, key: String(todo.id), pending: false })),
      message: null,
      announcement: '',
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
      saved = await this.api.createTodo(text);
    } catch (error) {
      const wasDeleted = this.deletedBeforeCreated.delete(key);
      this.removeItem(key);
      if (wasDeleted) return true;
      this.fail(error, `“${text}” wasn’t added`);
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
    this.announce(`Added “${saved.content}”`);
    return true;
  };

  /** Mark a todo done or not done (an explicit value, never a toggle). */
  setCompleted = (key: string, completed: boolean): void => {
    const item = this.find(key);
    if (!item || item.completed === completed) return;
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
    this.replaceItem(key, { ...item, content: text });
    void this.sync(key);
  };

  /** Delete a todo. */
  remove = (key: string): void => {
    const item = this.find(key);
    if (!item) return;
    this.removeItem(key);
    this.announce(`Deleted “${item.content}”`);
    if (item.pending) {
      this.deletedBeforeCreated.add(key);
      return;
    }
    void this.deleteOnServer(item);
  };

  /** Hide the current message. */
  dismissMessage = (): void => {
    this.setState({ ...this.state, message: null });
  };

  /** Send the difference between the item on screen and the server's state, one PATCH at a time. */
  private async sync(key: string): Promise<void> {
    const item = this.find(key);
    if (!item || item.pending || this.inFlight.has(item.id)) return;
    const { id } = item;
    const base = this.confirmed.get(id);
    if (!base) return;
    const patch: client.TodoPatch = {};
    if (item.completed !== base.completed) patch.completed = item.completed;
    if (item.content !== base.content) patch.content = item.content;
    if (patch.completed === undefined && patch.content === undefined) return;

    this.inFlight.add(id);
    try {
      const saved = await this.api.updateTodo(id, patch);
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
        this.fail(error, `“${base.content}” no longer exists (deleted in another tab?)`, false);
        return;
      }
      this.replaceItem(key, { ...base, key, pending: false });
      this.fail(error, `Your change to “${base.content}” wasn’t saved`);
    }
  }

  private async deleteOnServer(item: TodoItem): Promise<void> {
    try {
      await this.api.deleteTodo(item.id);
      this.confirmed.delete(item.id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.confirmed.delete(item.id); // already gone, which is what was asked
        return;
      }
      this.insertInOrder(item);
      this.fail(error, `“${item.content}” wasn’t deleted`);
      void this.sync(item.key); // a change may have been dropped while it was off the list
    }
  }

  private fail(error: unknown, what: string, showReason = true): void {
    const apiError =
      error instanceof ApiError ? error : new ApiError(0, 'unknown', 'Something went wrong.');
    const signIn = apiError.status === 401;
    const reason = signIn ? 'Your session has ended.' : apiError.message;
    const text = showReason ? `${what}. ${reason}` : `${what}.`;
    this.setState({ ...this.state, message: { id: ++this.messageId, text, signIn } });
  }

  private announce(text: string): void {
    this.setState({ ...this.state, announcement: text });
  }

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
