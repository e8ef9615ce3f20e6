import { describe, it } from 'node:test';
import { postgresUnavailable, storeKinds, type StoreKind } from './stores.js';

// Asked once per test file, before any suite is declared; throws under CI=true when unreachable.
const postgresSkip = storeKinds().includes('postgres') ? await postgresUnavailable() : undefined;

/**
 * Declares the same suite once per store kind (SQLite and PostgreSQL), like Kysely's per-dialect
 * tests. Outside CI a missing PostgreSQL skips its suite with the reason; under CI=true it fails.
 *
 * @example
 * ```ts
 * forEachStore('apps', (kind) => { it('creates', async () => { ... }) })
 * ```
 */
export function forEachStore(name: string, body: (kind: StoreKind) => void): void {
  for (const kind of storeKinds()) {
    const skip = kind === 'postgres' ? postgresSkip : undefined;
    // A skipped suite's tests are never declared, so node would count 0 skipped: declare one
    // skipped test instead, so the summary (and the runner) show that something did not run.
    if (skip) describe(`${name} [${kind}]`, () => it('needs PostgreSQL', { skip }, () => {}));
    else describe(`${name} [${kind}]`, () => body(kind));
  }
}
