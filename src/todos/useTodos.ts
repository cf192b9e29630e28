/**
 * React binding for `TodoStore`: one store per island instance, created from the server-rendered
 * todos, read with `useSyncExternalStore` so the first client render matches the HTML. Refreshes
 * from the server when the user's todos change anywhere (live.ts), and, as a fallback, whenever
 * the tab regains focus or becomes visible, so tabs and devices converge.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { followChanges, type LiveState } from './live.ts';
import type { Todo } from './model.ts';
import { TodoStore, type TodoState } from './store.ts';

export interface UseTodos extends TodoState {
  /** How many todos are not done yet. */
  remaining: number;
  add: TodoStore['add'];
  setCompleted: TodoStore['setCompleted'];
  setContent: TodoStore['setContent'];
  remove: TodoStore['remove'];
  setAllCompleted: TodoStore['setAllCompleted'];
  clearCompleted: TodoStore['clearCompleted'];
  dismissMessage: TodoStore['dismissMessage'];
  retry: TodoStore['retry'];
  undo: TodoStore['undo'];
  dismissUndo: TodoStore['dismissUndo'];
  announce: TodoStore['announce'];
  /** The live stream's state (live.ts). */
  live: LiveState;
}

/**
 * The todo list and its mutations, starting from `initialTodos` (and a message or an undo offer,
 * if any), kept live from `listedAt` (when the server read that list; null: no live stream).
 */
export function useTodos(
  initialTodos: Todo[],
  initialError: string | null = null,
  initialUndoIds: number[] | null = null,
  listedAt: number | null = null,
): UseTodos {
  const [store] = useState(() => new TodoStore(initialTodos, undefined, initialError, initialUndoIds));
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const [live, setLive] = useState<LiveState>('closed');

  useEffect(() => {
    if (listedAt === null) return;
    return followChanges(listedAt, () => void store.refresh(), setLive, store.sessionEnded);
  }, [store, listedAt]);

  useEffect(() => {
    const refreshIfVisible = () => {
      if (document.visibilityState === 'visible') void store.refresh();
    };
    window.addEventListener('focus', refreshIfVisible);
    document.addEventListener('visibilitychange', refreshIfVisible);
    return () => {
      window.removeEventListener('focus', refreshIfVisible);
      document.removeEventListener('visibilitychange', refreshIfVisible);
    };
  }, [store]);

  return {
    ...state,
    remaining: state.items.filter((item) => !item.completed).length,
    add: store.add,
    setCompleted: store.setCompleted,
    setContent: store.setContent,
    remove: store.remove,
    setAllCompleted: store.setAllCompleted,
    clearCompleted: store.clearCompleted,
    dismissMessage: store.dismissMessage,
    retry: store.retry,
    undo: store.undo,
    dismissUndo: store.dismissUndo,
    announce: store.announce,
    live,
  };
}
