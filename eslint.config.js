// ESLint (flat config): TypeScript, Astro components, React hooks and accessibility, plus the
// import boundary of the browser code. Formatting is Prettier's job (`npm run format`), not this.
// Rules are the plugins' recommended sets; the few changes below say why.
import js from '@eslint/js';
import astro from 'eslint-plugin-astro';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * What the island's code (src/todos, except *.server.ts) may not import. The build enforces the
 * same boundary on the bundle (src/build/client-boundary.ts); this says it in the editor, at the line.
 */
const BROWSER_BOUNDARY = {
  patterns: [
    {
      group: ['*.server', '*.server.ts', '*.server.tsx'],
      message: 'Server-only module (*.server.ts): browser code may not import it.',
    },
    {
      // A regex: in the gitignore-style `group` patterns a leading # starts a comment.
      regex: String.raw`^#(server|build)/|^#auth-config$|(^|/)src/(server|build)/|^\.\./(server|build)/`,
      message: 'The Node server, the build and auth.config.ts never reach the browser.',
    },
    {
      group: ['zod', 'zod/*'],
      message: 'zod stays on the server (validation is in schema.server.ts); the browser uses model.ts.',
    },
    {
      group: ['node:*'],
      message: 'Node built-ins do not exist in the browser.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.astro/',
      'node_modules/',
      '.data/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
      'db/migrations/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  astro.configs['flat/recommended'],
  astro.configs['flat/jsx-a11y-recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's position, a rest omit).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/todos/**/*.ts'],
    // The jsx-a11y plugin itself is registered by astro's jsx-a11y config above (for every file).
    plugins: reactHooks.configs.flat.recommended.plugins,
    rules: { ...reactHooks.configs.flat.recommended.rules, ...jsxA11y.flatConfigs.recommended.rules },
    languageOptions: {
      ...jsxA11y.flatConfigs.recommended.languageOptions,
      globals: { ...globals.browser },
    },
  },
  {
    files: ['src/todos/**/*.{ts,tsx}'],
    ignores: ['src/todos/**/*.server.ts'],
    rules: { 'no-restricted-imports': ['error', BROWSER_BOUNDARY] },
  },
  {
    // V8 allocates a getter's or setter's accessor pair in the old generation. Made per request,
    // the old pair points at a young closure whose scope holds the request, so every young
    // collection keeps that request alive and promotes it (README → Memory, round 7). Module-level
    // objects and class getters (on the prototype, made once) are fine.
    files: ['src/**/*.server.ts', 'src/server/**/*.ts', 'src/middleware.ts', 'src/pages/**/*.ts', 'auth.config.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: ':function ObjectExpression > Property[kind=/^(get|set)$/]',
          message:
            'An accessor in an object literal made per call lives in the old generation and keeps its scope alive until a full GC: use a method, a plain property or a class.',
        },
      ],
    },
  },
);
