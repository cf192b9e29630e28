/**
 * The "New todo" form: a labelled input; Enter or the button adds. Without JavaScript it posts to
 * /todos/add; with it, the island adds optimistically instead.
 */
import { useState, type Ref, type SubmitEvent } from 'react';
import { CONTENT_MAX, type TodoFilter } from './model.ts';
import { FilterField } from './FormFields.tsx';

interface Props {
  /** Adds the (trimmed, non-empty) text; resolves false if the server refused it. */
  onAdd: (content: string) => Promise<boolean>;
  filter: TodoFilter;
  inputRef?: Ref<HTMLInputElement>;
  /** Text to start with (what a refused no-JS post carried). */
  initialText?: string;
}

export function NewTodoForm({ onAdd, filter, inputRef, initialText = '' }: Props) {
  // A fixed id rather than useId(): see TodoRow (one form per page).
  const id = 'new-todo';
  const [draft, setDraft] = useState(initialText);

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = draft.trim();
    setDraft('');
    if (!text) return;
    const added = await onAdd(text);
    // Refused: give the text back so it isn't lost, unless something new was typed meanwhile.
    if (!added) setDraft((current) => (current === '' ? text : current));
  }

  return (
    <form className="todo-add" method="post" action="/todos/add" onSubmit={handleSubmit}>
      <label htmlFor={id}>New todo</label>
      <FilterField filter={filter} />
      <div className="todo-add__row">
        <input
          id={id}
          ref={inputRef}
          name="content"
          type="text"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          maxLength={CONTENT_MAX}
          autoComplete="off"
          enterKeyHint="done"
          placeholder="What needs doing?"
        />
        <button type="submit" className="button">
          Add
        </button>
      </div>
    </form>
  );
}
