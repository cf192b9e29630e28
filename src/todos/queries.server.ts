/**
 * Todo data access. Every statement starts with its owner (`me`, see
 * src/lib/auth/session-owner.server.ts: for a request, the session check itself) and joins it into
 * the read or write: authorization is part of the query, never a separate earlier check, and a
 * signed-in request makes one database round trip. Each function returns null when there is no
 * owner (no live session: 401); otherwise zero todos means "not yours or not there" (404 either way).
 * Pass a user id instead of an Owner for internal jobs and tests.
 *
 * Deleting is a soft delete (migration 0009): `deleted_at` is set, and every statement here reads,
 * changes and counts only rows with `deleted_at IS NULL`, so a deleted todo is simply absent until
 * `restoreTodos` brings it back within UNDO_WINDOW_SECONDS, or the prune removes it for good.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import { ownerById, param, type MeColumns, type Owner } from '#lib/auth/session-owner.server.ts';
import { TODO_LIMIT, UNDO_WINDOW_SECONDS, type Todo, type UpdateTodo } from './schema.server.ts';

/** The user already has TODO_LIMIT todos; nothing was stored. */
export class TodoLimitError extends Error {
  override name = 'TodoLimitError';
  constructor() {
    super(`You can have at most ${TODO_LIMIT.toLocaleString('en')} todos. Delete some to add more.`);
  }
}

/** The CHECK on users.todo_count (migration 0003) refused an insert: the user is at the limit. */
function isLimitViolation(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23514' && constraint === 'users_todo_limit';
}

function byAge(a: TodoRow, b: TodoRow): number {
  return new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.id - b.id;
}

interface TodoRow {
  id: number;
  content: string;
  completed: boolean;
  created_at: Date | string;
}

const COLUMNS = 'id, content, completed, created_at';

function toTodo(row: TodoRow): Todo {
  return {
    id: row.id,
    content: row.content,
    completed: row.completed,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

type OwnerOrId = Owner | number;
const asOwner = (owner: OwnerOrId): Owner => (typeof owner === 'number' ? ownerById(owner) : owner);

/** A todo row joined to `me`: the todo columns are null when the statement matched no todo. */
type JoinedRow = MeColumns & { [K in keyof TodoRow]: TodoRow[K] | null };

const hasTodo = (row: JoinedRow): row is MeColumns & TodoRow => row.id !== null;

/**
 * Runs `WITH <owner><tail>` (the tail, `, more AS (…) SELECT …` or ` SELECT …`, numbers its parameters after the owner's, see `param`) and
 * tells the owner what `me` held. Null when there was no owner row.
 */
async function ownerStatement<R extends MeColumns>(
  database: Queryable,
  owner: Owner,
  tail: string,
  params: unknown[],
): Promise<R[] | null> {
  const { rows } = await database.query<R>(`WITH ${owner.cte}${tail}`, [...owner.params, ...params]);
  owner.seen(rows[0]);
  return rows.length > 0 ? rows : null;
}

/** The owner's todos, oldest first (null: no owner). */
export function listTodos(database: Queryable, owner: Owner): Promise<Todo[] | null>;
export function listTodos(database: Queryable, userId: number): Promise<Todo[]>;
export async function listTodos(database: Queryable, ownerOrId: OwnerOrId): Promise<Todo[] | null> {
  const rows = await ownerStatement<JoinedRow>(
    database,
    asOwner(ownerOrId),
    ` SELECT me.*, t.id, t.content, t.completed, t.created_at
        FROM me LEFT JOIN todos t ON t.user_id = me.session_user_id AND t.deleted_at IS NULL
       ORDER BY t.created_at, t.id`,
    [],
  );
  return rows && rows.filter(hasTodo).map(toTodo);
}

/** Adds a todo (null: no owner); throws TodoLimitError when the user already has TODO_LIMIT (checked atomically). */
export function createTodo(database: Queryable, owner: Owner, content: string): Promise<Todo | null>;
export function createTodo(database: Queryable, userId: number, content: string): Promise<Todo>;
export async function createTodo(database: Queryable, ownerOrId: OwnerOrId, content: string): Promise<Todo | null> {
  const owner = asOwner(ownerOrId);
  try {
    const rows = await ownerStatement<JoinedRow>(
      database,
      owner,
      `, created AS (
         INSERT INTO todos (user_id, content) SELECT session_user_id, ${param(owner, 1)} FROM me RETURNING ${COLUMNS}
       )
       SELECT me.*, created.* FROM me LEFT JOIN created ON true`,
      [content],
    );
    return rows && rows.filter(hasTodo).map(toTodo)[0]!;
  } catch (error) {
    if (isLimitViolation(error)) throw new TodoLimitError();
    throw error;
  }
}

/** The result for one todo: null without an owner, `{ todo: null }` when it isn't the owner's. */
export type OneTodo<T> = { todo: T | null } | null;

/** Sets the given fields (explicit values, not a toggle); by user id: the todo, or null when it isn't theirs. */
export function updateTodo(database: Queryable, owner: Owner, id: number, patch: UpdateTodo): Promise<OneTodo<Todo>>;
export function updateTodo(database: Queryable, userId: number, id: number, patch: UpdateTodo): Promise<Todo | null>;
export async function updateTodo(
  database: Queryable,
  ownerOrId: OwnerOrId,
  id: number,
  patch: UpdateTodo,
): Promise<OneTodo<Todo> | Todo | null> {
  if (typeof ownerOrId === 'number') return (await updateTodo(database, ownerById(ownerOrId), id, patch))!.todo;
  const owner = ownerOrId;
  const p = (i: number) => param(owner, i);
  const rows = await ownerStatement<JoinedRow>(
    database,
    owner,
    `, changed AS (
       UPDATE todos
          SET content = COALESCE(${p(2)}, content),
              completed = COALESCE(${p(3)}, completed),
              updated_at = now()
        WHERE id = ${p(1)} AND user_id = (SELECT session_user_id FROM me) AND deleted_at IS NULL
        RETURNING ${COLUMNS}
     )
     SELECT me.*, changed.* FROM me LEFT JOIN changed ON true`,
    [id, patch.content ?? null, patch.completed ?? null],
  );
  return rows && { todo: rows.filter(hasTodo).map(toTodo)[0] ?? null };
}

/** Deletes (soft) the todo if it is the owner's; `{ todo: true }` (by user id: true) when it did. */
export function deleteTodo(database: Queryable, owner: Owner, id: number): Promise<OneTodo<true>>;
export function deleteTodo(database: Queryable, userId: number, id: number): Promise<boolean>;
export async function deleteTodo(
  database: Queryable,
  ownerOrId: OwnerOrId,
  id: number,
): Promise<OneTodo<true> | boolean> {
  if (typeof ownerOrId === 'number') return (await deleteTodo(database, ownerById(ownerOrId), id))!.todo === true;
  const owner = ownerOrId;
  const rows = await ownerStatement<JoinedRow>(
    database,
    owner,
    `, deleted AS (
       UPDATE todos SET deleted_at = now()
        WHERE id = ${param(owner, 1)} AND user_id = (SELECT session_user_id FROM me) AND deleted_at IS NULL
        RETURNING id
     )
     SELECT me.*, deleted.id FROM me LEFT JOIN deleted ON true`,
    [id],
  );
  return rows && { todo: rows.some(hasTodo) ? true : null };
}

/** Sets every todo of the owner to `completed` in one statement; returns the whole list, oldest first. */
export function setAllCompleted(database: Queryable, owner: Owner, completed: boolean): Promise<Todo[] | null>;
export function setAllCompleted(database: Queryable, userId: number, completed: boolean): Promise<Todo[]>;
export async function setAllCompleted(
  database: Queryable,
  ownerOrId: OwnerOrId,
  completed: boolean,
): Promise<Todo[] | null> {
  const owner = asOwner(ownerOrId);
  const c = param(owner, 1);
  // Rows already in that state are returned unchanged rather than rewritten (no updated_at churn).
  const rows = await ownerStatement<JoinedRow>(
    database,
    owner,
    `, changed AS (
       UPDATE todos SET completed = ${c}::boolean, updated_at = now()
        WHERE user_id = (SELECT session_user_id FROM me) AND completed <> ${c}::boolean AND deleted_at IS NULL
        RETURNING ${COLUMNS}
     ),
     all_todos AS (
       SELECT ${COLUMNS} FROM changed
       UNION ALL
       SELECT ${COLUMNS} FROM todos
        WHERE user_id = (SELECT session_user_id FROM me) AND completed = ${c}::boolean AND deleted_at IS NULL
     )
     SELECT me.*, all_todos.* FROM me LEFT JOIN all_todos ON true`,
    [completed],
  );
  return rows && rows.filter(hasTodo).sort(byAge).map(toTodo);
}

/** Deletes (soft) the owner's completed todos in one statement; returns the ids it deleted. */
export function clearCompleted(database: Queryable, owner: Owner): Promise<number[] | null>;
export function clearCompleted(database: Queryable, userId: number): Promise<number[]>;
export async function clearCompleted(database: Queryable, ownerOrId: OwnerOrId): Promise<number[] | null> {
  const rows = await ownerStatement<JoinedRow>(
    database,
    asOwner(ownerOrId),
    `, deleted AS (
       UPDATE todos SET deleted_at = now()
        WHERE user_id = (SELECT session_user_id FROM me) AND completed AND deleted_at IS NULL
        RETURNING id
     )
     SELECT me.*, deleted.id FROM me LEFT JOIN deleted ON true`,
    [],
  );
  return (
    rows &&
    rows
      .filter(hasTodo)
      .map((row) => row.id)
      .sort((a, b) => a - b)
  );
}

/**
 * Undoes deletions: the owner's todos among `ids` deleted less than UNDO_WINDOW_SECONDS ago become
 * live again, with their id, text, state and place (the list is ordered by created_at, id). Returns
 * the restored todos, oldest first (null: no owner); ids that aren't the owner's, aren't deleted or
 * were deleted too long ago are left alone. Throws TodoLimitError, restoring nothing, when the
 * restored todos would take the owner past TODO_LIMIT (migration 0009's count trigger).
 */
export function restoreTodos(database: Queryable, owner: Owner, ids: readonly number[]): Promise<Todo[] | null>;
export function restoreTodos(database: Queryable, userId: number, ids: readonly number[]): Promise<Todo[]>;
export async function restoreTodos(
  database: Queryable,
  ownerOrId: OwnerOrId,
  ids: readonly number[],
): Promise<Todo[] | null> {
  const owner = asOwner(ownerOrId);
  try {
    const rows = await ownerStatement<JoinedRow>(
      database,
      owner,
      `, restored AS (
         UPDATE todos SET deleted_at = NULL, updated_at = now()
          WHERE user_id = (SELECT session_user_id FROM me) AND id = ANY(${param(owner, 1)}::int[])
            AND deleted_at > now() - make_interval(secs => ${param(owner, 2)}::int)
          RETURNING ${COLUMNS}
       )
       SELECT me.*, restored.* FROM me LEFT JOIN restored ON true`,
      [[...ids], UNDO_WINDOW_SECONDS],
    );
    return rows && rows.filter(hasTodo).sort(byAge).map(toTodo);
  } catch (error) {
    if (isLimitViolation(error)) throw new TodoLimitError();
    throw error;
  }
}
