/**
 * One todo in the list: a checkbox named by the todo's text, and Edit / Delete buttons.
 * Editing happens in place: Enter or leaving the field saves, Escape cancels, empty text deletes.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { CONTENT_MAX } from '../lib/todo-schema.ts';
import type { TodoItem } from './todo-store.ts';

interface Props {
  item: TodoItem;
  onSetCompleted: (key: string, completed: boolean) => void;
  onSetContent: (key: string, content: string) => void;
  onDelete: (key: string) => void;
}

export function TodoRow({ item, onSetCompleted, onSetContent, onDelete }: Props) {
  const checkboxId = useId();
  const hintId = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(item.content);
  const editInputRef = useRef<HTMLInputElement>(null);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  // Enter/Escape end the edit and unmount the input; the blur that may follow must not save again.
  const closing = useRef(false);
  const refocusEditButton = useRef(false);

  useEffect(() => {
    if (editing) {
      editInputRef.current?.focus();
      editInputRef.current?.select();
    } else if (refocusEditButton.current) {
      refocusEditButton.current = false;
      editButtonRef.current?.focus();
    }
  }, [editing]);

  function startEditing() {
    closing.current = false;
    setDraft(item.content);
    setEditing(true);
  }

  function finishEditing(save: boolean, returnFocus: boolean) {
    if (closing.current) return;
    closing.current = true;
    const text = draft.trim();
    if (save && !text) {
      onDelete(item.key);
      return;
    }
    refocusEditButton.current = returnFocus;
    setEditing(false);
    if (save) onSetContent(item.key, text);
  }

  function handleEditKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      finishEditing(true, true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      finishEditing(false, true);
    }
  }

  const className = [
    'todo-item',
    item.completed && 'todo-item--done',
    item.pending && 'todo-item--pending',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <li className={className} data-testid="todo-item" aria-busy={item.pending || undefined}>
      <input
        id={checkboxId}
        type="checkbox"
        checked={item.completed}
        onChange={(event) => onSetCompleted(item.key, event.target.checked)}
        // While editing, the visible label is replaced by the input: keep the checkbox named.
        aria-label={editing ? item.content : undefined}
      />
      {editing ? (
        <>
          <input
            ref={editInputRef}
            className="todo-item__edit"
            type="text"
            aria-label="Edit todo"
            aria-describedby={hintId}
            value={draft}
            maxLength={CONTENT_MAX}
            autoComplete="off"
            enterKeyHint="done"
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={handleEditKeyDown}
            onBlur={() => finishEditing(true, false)}
          />
          <span id={hintId} className="visually-hidden">
            Enter saves, Escape cancels. Saving empty text deletes the todo.
          </span>
        </>
      ) : (
        <>
          <label htmlFor={checkboxId} className="todo-item__text">
            {item.content}
          </label>
          <div className="todo-item__actions">
            <button
              ref={editButtonRef}
              type="button"
              className="button button--small button--secondary"
              aria-label={`Edit “${item.content}”`}
              onClick={startEditing}
            >
              Edit
            </button>
            <button
              type="button"
              className="button button--small button--danger"
              aria-label={`Delete “${item.content}”`}
              onClick={() => onDelete(item.key)}
            >
              Delete
            </button>
          </div>
        </>
      )}
    </li>
  );
}
