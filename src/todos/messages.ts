/**
 * What the todo island says: the alert when a change didn't go through, and the polite status
 * announcements for screen readers. All the island's wording about changes is here.
 */
import { ApiError } from './client.ts';

/** A visible message about a change that didn't go through. */
export interface TodoMessage {
  id: number;
  text: string;
  /** The session ended: show a link to sign in again. */
  signIn: boolean;
  /** Sends the same change again (offered when the failure may pass: network, 5xx, 429). */
  retry?: (() => void) | undefined;
}

/** A visible offer to undo a delete, with the ids the server restores. */
export interface UndoOffer {
  id: number;
  /** What happened, e.g. "Deleted “milk”". */
  text: string;
  ids: number[];
}

/** What failed, as the start of the alert ("“milk” wasn’t added"). */
export const failed = {
  add: (content: string) => `“${content}” wasn’t added`,
  update: (content: string) => `Your change to “${content}” wasn’t saved`,
  delete: (content: string) => `“${content}” wasn’t deleted`,
  gone: (content: string) => `“${content}” no longer exists (deleted in another tab?)`,
  completeAll: (completed: boolean) => `Marking all as ${completed ? 'complete' : 'incomplete'} failed`,
  clearCompleted: () => 'Clearing completed todos failed',
  restore: (count: number) => `Undo failed: ${count === 1 ? 'the todo is' : 'the todos are'} still deleted`,
  restorePartial: () => 'Some of the deleted todos couldn’t be restored',
  refresh: () => 'The list couldn’t be refreshed',
  sessionEnded: () => 'Your session has ended',
};

/** Polite status text after a change. */
export const announce = {
  added: (content: string) => `Added “${content}”`,
  deleted: (content: string) => `Deleted “${content}”`,
  completeAll: (completed: boolean) => (completed ? 'Marked all todos as complete' : 'Marked all todos as incomplete'),
  cleared: (count: number) => `Cleared ${count} completed ${count === 1 ? 'todo' : 'todos'}`,
  /** A delete the page learnt about from the URL (after a reload or a no-JS post): no text known. */
  deletedCount: (count: number) => `Deleted ${count} ${count === 1 ? 'todo' : 'todos'}`,
  /** Said when an undo offer appears (the offer itself is not a live region). */
  undoable: (text: string) => `${text}. Undo is available.`,
  restored: (count: number) => `Restored ${count} ${count === 1 ? 'todo' : 'todos'}`,
};

/** Failures worth retrying as they are: no answer, the server's trouble, or too many requests. */
function isRetryable(error: ApiError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/**
 * The alert for `what` failing with `error`: with the server's reason (or "Your session has
 * ended.", which also offers a sign-in link) unless `showReason` is false.
 */
export function failureMessage(
  id: number,
  error: unknown,
  what: string,
  showReason = true,
  retry?: () => void,
): TodoMessage {
  const apiError = error instanceof ApiError ? error : new ApiError(0, 'unknown', 'Something went wrong.');
  const signIn = apiError.status === 401;
  const reason = signIn ? 'Your session has ended.' : apiError.message;
  return {
    id,
    text: showReason ? `${what}. ${reason}` : `${what}.`,
    signIn,
    retry: retry && isRetryable(apiError) ? retry : undefined,
  };
}
