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
    // On Node 20's V8, an object literal that starts with a spread and then adds a property the
    // spread object lacks (`{ ...a, b }`, also through a second spread) makes a new hidden class
    // every time: ~0.4–2 µs and 1.6–4 KB of old-generation garbage per object, which only a full GC
    // frees. One on the token endpoint's path set its major-GC pauses and its p99 (bench/README.md,
    // twenty-first session). `{ b, ...a }`, `{ ...a }` and `Object.assign({}, a, { b })` are not
    // affected, nor is overwriting a property `a` has; the rule cannot tell, so such a line carries an
    // `eslint-disable` comment with its measurement. The web UI runs in the browser; the bench's
    // load generator and tools run on the same two cores as the servers they measure.
    files: ['packages/*/src/**/*.ts', 'bench/**/*.ts'],
    ignores: ['packages/web/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child:not(:last-child)',
          message:
            'A spread followed by a property the spread object lacks builds a new hidden class each time on Node 20: use Object.assign({}, a, { b }) or put the spread last.',
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', '**/test/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
