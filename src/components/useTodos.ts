/**
 * React binding for `TodoStore`: one store per island instance, created from the server-rendered
 * todos, read with `useSyncExternalStore` so the first client render matches the HTML.
 */
import { useState, useSyncExternalStore } from 'react';
import type { Todo } from '../lib/todo-schema.ts';
import { TodoStore, type TodoState } from './todo-store.ts';

export interface UseTodos extends TodoState {
  /** How many todos are not done yet. */
  remaining: number;
  add: TodoStore['add'];
  setCompleted: TodoStore['setCompleted'];
  setContent: TodoStore['setContent'];
  remove: TodoStore['remove'];
  dismissMessage: TodoStore['dismissMessage'];
}

/** The todo list and its mutations, starting from `initialTodos`. */
export function useTodos(initialTodos: Todo[]): UseTodos {
  const [store] = useState(() => new TodoStore(initialTodos));
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return {
    ...state,
    remaining: state.items.filter((item) => !item.completed).length,
    add: store.add,
    setCompleted: store.setCompleted,
    setContent: store.setContent,
    remove: store.remove,
    dismissMessage: store.dismissMessage,
  };
}
