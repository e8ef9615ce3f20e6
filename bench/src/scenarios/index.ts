import type { BenchOptions } from '../options.js';
import type { Scenario } from '../scenario.js';
import { adminGetScenario } from './admin-get.js';
import { appTokenScenarios } from './app-token.js';
import { argon2BareScenario } from './argon2-bare.js';
import { guardScenarios } from './guard.js';
import { introspectionScenario } from './introspection.js';
import { limitNodeScenario, limitScenario } from './limit.js';
import { passwordScenario } from './password.js';
import { peerScenario } from './peer.js';
import { v2TokenScenario } from './v2-token.js';

/**
 * The scenarios a run measures: all of them, or those whose id contains one of `--only`'s strings.
 * Throws, naming every id, when `--only` matches none, rather than measure nothing.
 *
 * @example
 * ```ts
 * selectScenarios(parseOptions(['--only=limit'])).map((s) => s.id) // ['limit', 'limit.node']
 * ```
 */
export function selectScenarios(options: BenchOptions): Scenario[] {
  const all = allScenarios(options);
  const selected = all.filter((s) => options.only.length === 0 || options.only.some((o) => s.id.includes(o)));
  if (selected.length === 0)
    throw new Error(
      `bench: --only=${options.only.join(',')} matches no scenario of this run; its ids: ${all.map((s) => s.id).join(', ')}`,
    );
  return selected;
}

/**
 * Every scenario of a run, in order. Scenarios sharing a target run back to back on one instance.
 * The secondary scenarios run on the primary target (first store, first application count).
 */
export function allScenarios(options: BenchOptions): Scenario[] {
  const primary = `tessera/${options.stores[0] ?? 'sqlite'}/${options.appCounts[0] ?? 10}`;
  return [
    limitScenario,
    limitNodeScenario,
    peerScenario,
    ...appTokenScenarios(options),
    v2TokenScenario(primary),
    introspectionScenario(primary),
    adminGetScenario(primary),
    passwordScenario(primary),
    argon2BareScenario,
    ...guardScenarios(options),
  ];
}
