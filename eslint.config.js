import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // process.env is read in exactly one place (config) so every module sees one validated, frozen config.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/config/**', 'packages/*/src/main.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read config, not process.env.' },
      ],
    },
  },
  {
    // On Node 20's V8, an object literal that starts with a spread and then adds a property or
    // another spread (`{ ...a, b }`) makes a new hidden class every time: ~0.4–2 µs and 1.6–4 KB of
    // old-generation garbage per object, which only a full GC frees. Two on the token endpoint's path
    // set its major-GC pauses and its p99 (bench/README.md, twenty-first session). `{ b, ...a }`,
    // `{ ...a }` and `Object.assign({}, a, { b })` are not affected. The web UI runs in the browser.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/web/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child:not(:last-child)',
          message:
            'A spread followed by more properties builds a new hidden class each time on Node 20: use Object.assign({}, a, { b }) or put the spread last.',
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', '**/test/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
