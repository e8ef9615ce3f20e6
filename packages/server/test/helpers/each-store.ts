import { describe, it } from 'node:test';
import { postgresUnavailable, storeKinds, type StoreKind } from './stores.js';

// Asked once per test file, before any suite is declared; throws under CI=true when unreachable.
const postgresSkip = storeKinds().includes('postgres') ? await postgresUnavailable() : undefined;

/** How {@link forEachStore} runs the store kinds' suites. */
export interface EachStoreOptions {
  /**
   * Run the kinds' suites at the same time (each suite's own tests still one after another). For
   * suites that mostly wait (a token's real expiry, say), so that the waits overlap instead of
   * holding a test-runner slot twice as long; CPU-bound suites should stay sequential.
   */
  storesAtOnce?: boolean;
}

/**
 * Declares the same suite once per store kind (SQLite and PostgreSQL), like Kysely's per-dialect
 * tests. Outside CI a missing PostgreSQL skips its suite with the reason; under CI=true it fails.
 *
 * @example
 * ```ts
 * forEachStore('apps', (kind) => { it('creates', async () => { ... }) })
 * forEachStore('token expiry', (kind) => { ... }, { storesAtOnce: true })
 * ```
 */
export function forEachStore(
  name: string,
  body: (kind: StoreKind) => void,
  options: EachStoreOptions = {},
): void {
  const declare = () => {
    for (const kind of storeKinds()) {
      const skip = kind === 'postgres' ? postgresSkip : undefined;
      // A skipped suite's tests are never declared, so node would count 0 skipped: declare one
      // skipped test instead, so the summary (and the runner) show that something did not run.
      // concurrency 1: a suite's tests share its server and run in order, even inside a concurrent parent.
      if (skip) describe(`${name} [${kind}]`, () => it('needs PostgreSQL', { skip }, () => {}));
      else describe(`${name} [${kind}]`, { concurrency: 1 }, () => body(kind));
    }
  };
  if (options.storesAtOnce) describe(name, { concurrency: storeKinds().length }, declare);
  else declare();
}
