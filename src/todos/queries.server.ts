/**
 * Todo data access. Every statement carries the owner in its WHERE clause: authorization is part
 * of the query that reads or writes, never a separate earlier check. Zero rows means "not yours or
 * not there", which callers answer with 404 either way.
 */
import type { Queryable } from '#lib/db/index.server.ts';
import { TODO_LIMIT, type Todo, type UpdateTodo } from './schema.server.ts';

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

/** The user's todos, oldest first. */
export async function listTodos(database: Queryable, userId: number): Promise<Todo[]> {
  const { rows } = await database.query<TodoRow>(
    `SELECT ${COLUMNS} FROM todos WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
  return rows.map(toTodo);
}

/** Adds a todo; throws TodoLimitError when the user already has TODO_LIMIT (checked atomically). */
export async function createTodo(database: Queryable, userId: number, content: string): Promise<Todo> {
  try {
    const { rows } = await database.query<TodoRow>(
      `INSERT INTO todos (user_id, content) VALUES ($1, $2) RETURNING ${COLUMNS}`,
      [userId, content],
    );
    return toTodo(rows[0]!);
  } catch (error) {
    if (isLimitViolation(error)) throw new TodoLimitError();
    throw error;
  }
}

/** Sets the given fields (explicit values, not a toggle); null when the todo isn't the user's. */
export async function updateTodo(
  database: Queryable,
  userId: number,
  id: number,
  patch: UpdateTodo,
): Promise<Todo | null> {
  const { rows } = await database.query<TodoRow>(
    `UPDATE todos
        SET content = COALESCE($3, content),
            completed = COALESCE($4, completed),
            updated_at = now()
      WHERE id = $1 AND user_id = $2
      RETURNING ${COLUMNS}`,
    [id, userId, patch.content ?? null, patch.completed ?? null],
  );
  return rows[0] ? toTodo(rows[0]) : null;
}

/** Deletes the todo if it is the user's; false when there was nothing of theirs to delete. */
export async function deleteTodo(database: Queryable, userId: number, id: number): Promise<boolean> {
  const { rowCount } = await database.query('DELETE FROM todos WHERE id = $1 AND user_id = $2', [id, userId]);
  return rowCount > 0;
}

/** Sets every todo of the user to `completed` in one statement; returns the whole list, oldest first. */
export async function setAllCompleted(database: Queryable, userId: number, completed: boolean): Promise<Todo[]> {
  // Rows already in that state are returned unchanged rather than rewritten (no updated_at churn).
  const { rows } = await database.query<TodoRow>(
    `WITH changed AS (
       UPDATE todos SET completed = $2, updated_at = now()
        WHERE user_id = $1 AND completed <> $2
        RETURNING ${COLUMNS}
     )
     SELECT ${COLUMNS} FROM changed
     UNION ALL
     SELECT ${COLUMNS} FROM todos WHERE user_id = $1 AND completed = $2`,
    [userId, completed],
  );
  return rows.sort(byAge).map(toTodo);
}

/** Deletes the user's completed todos in one statement; returns the ids it deleted. */
export async function clearCompleted(database: Queryable, userId: number): Promise<number[]> {
  const { rows } = await database.query<{ id: number }>(
    'DELETE FROM todos WHERE user_id = $1 AND completed RETURNING id',
    [userId],
  );
  return rows.map((row) => row.id).sort((a, b) => a - b);
}
