import { describe, expect, it } from 'vitest';
import {
  completeAllSchema,
  createTodoSchema,
  matchesFilter,
  parseFilter,
  parseTodoId,
  todosPath,
  updateTodoSchema,
} from '#todos/schema.server.ts';

describe('createTodoSchema', () => {
  it.each([
    [{ content: 'buy milk' }, 'buy milk'],
    [{ content: '  padded  ' }, 'padded'],
    [{ content: 'x'.repeat(500) }, 'x'.repeat(500)],
    [{ content: `  ${'y'.repeat(500)}  ` }, 'y'.repeat(500)],
    [{ content: '🚀 שלום <b>' }, '🚀 שלום <b>'],
  ])('accepts %j', (input, content) => {
    expect(createTodoSchema.parse(input)).toEqual({ content });
  });

  it.each([
    ['empty', { content: '' }],
    ['only spaces', { content: '   ' }],
    ['too long', { content: 'x'.repeat(501) }],
    ['a number', { content: 42 }],
    ['null', { content: null }],
    ['missing', {}],
    ['an extra field', { content: 'a', userId: 2 }],
    ['a NUL byte', { content: 'a\u0000b' }],
    ['an array body', ['a']],
    ['a string body', 'a'],
  ])('refuses %s', (_label, input) => {
    expect(createTodoSchema.safeParse(input).success).toBe(false);
  });
});

describe('updateTodoSchema', () => {
  it.each([[{ completed: true }], [{ completed: false }], [{ content: 'new' }], [{ content: 'new', completed: true }]])(
    'accepts %j',
    (input) => {
      expect(updateTodoSchema.safeParse(input).success).toBe(true);
    },
  );

  it.each([[{}], [{ completed: 'true' }], [{ completed: 1 }], [{ content: '' }], [{ id: 3, completed: true }]])(
    'refuses %j',
    (input) => {
      expect(updateTodoSchema.safeParse(input).success).toBe(false);
    },
  );
});

describe('parseTodoId', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    ['2147483647', 2147483647],
    ['0', null],
    ['-1', null],
    ['1.5', null],
    ['abc', null],
    ['01', null],
    ['99999999999', null],
    ['2147483648', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (raw, expected) => {
    expect(parseTodoId(raw)).toBe(expected);
  });
});

describe('completeAllSchema', () => {
  it.each([[{ completed: true }], [{ completed: false }]])('accepts %j', (input) => {
    expect(completeAllSchema.parse(input)).toEqual(input);
  });
  it.each([[{}], [{ completed: 'true' }], [{ completed: null }], [{ completed: true, userId: 1 }], [[true]]])(
    'refuses %j',
    (input) => {
      expect(completeAllSchema.safeParse(input).success).toBe(false);
    },
  );
});

describe('parseFilter', () => {
  it.each([
    ['all', 'all'],
    ['active', 'active'],
    ['completed', 'completed'],
    ['Active', 'all'],
    ['done', 'all'],
    ['', 'all'],
    [null, 'all'],
    [undefined, 'all'],
    ['constructor', 'all'],
  ] as const)('%s → %s', (raw, expected) => {
    expect(parseFilter(raw)).toBe(expected);
  });
});

describe('matchesFilter', () => {
  it.each([
    ['all', false, true],
    ['all', true, true],
    ['active', false, true],
    ['active', true, false],
    ['completed', false, false],
    ['completed', true, true],
  ] as const)('%s shows completed=%s: %s', (filter, completed, shown) => {
    expect(matchesFilter({ completed }, filter)).toBe(shown);
  });
});

describe('todosPath', () => {
  it.each([
    ['all', {}, '/todos'],
    ['active', {}, '/todos?filter=active'],
    ['completed', { error: 'limit' }, '/todos?filter=completed&error=limit'],
    ['all', { edit: '4' }, '/todos?edit=4'],
  ] as const)('%s %j → %s', (filter, extra, path) => {
    expect(todosPath(filter, extra)).toBe(path);
  });
});
