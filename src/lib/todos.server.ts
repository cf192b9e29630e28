/**
 * Todo data access. Every statement carries the owner in its WHERE clause: authorization is part
 * of the query that reads or writes, never a separate earlier check. Zero rows means "not yours or
 * not there", which callers answer with 404 either way.
 */
import type { Queryable } from './db.server.ts';
import type { Todo, UpdateTodo } from './todo-schema.ts';

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

export async function createTodo(database: Queryable, userId: number, content: string): Promise<Todo> {
  const { rows } = await database.query<TodoRow>(
    `INSERT INTO todos (user_id, content) VALUES ($1, $2) RETURNING ${COLUMNS}`,
    [userId, content],
  );
  return toTodo(rows[0]!);
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
