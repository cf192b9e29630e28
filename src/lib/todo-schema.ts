/**
 * The todo shapes and the one validation schema shared by the API, the no-JS forms and the island.
 * Safe to import from client code (no server imports).
 */
import { z } from 'zod';

export const CONTENT_MAX = 500;

/** A todo as the API returns it and the island renders it. */
export interface Todo {
  id: number;
  content: string;
  completed: boolean;
  createdAt: string;
}

/** Trimmed text, 1–500 characters after trimming; NUL bytes are refused (Postgres can't store them). */
export const contentSchema = z
  .string({ error: 'content must be a string' })
  .trim()
  .min(1, 'content must not be empty')
  .max(CONTENT_MAX, `content must be at most ${CONTENT_MAX} characters`)
  .refine((value) => !value.includes('\u0000'), 'content must not contain NUL characters');

export const createTodoSchema = z.strictObject({ content: contentSchema });

export const updateTodoSchema = z
  .strictObject({
    content: contentSchema.optional(),
    completed: z.boolean({ error: 'completed must be true or false' }).optional(),
  })
  .refine((patch) => patch.content !== undefined || patch.completed !== undefined, {
    message: 'send at least one of content, completed',
  });

export type CreateTodo = z.infer<typeof createTodoSchema>;
export type UpdateTodo = z.infer<typeof updateTodoSchema>;

/** Todo ids are positive int4 values; anything else (0, -1, 1.5, abc, 99999999999) is a bad id. */
export function parseTodoId(raw: string | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : null;
}
