import type { ResourceItem } from '@tessera/client';
import { quotaLines } from './quotas.js';

/**
 * A node's quotas per node pool (GPU, CPU, memory: deserved, limit, over-quota weight), or a note
 * that none are set. The node pool is named only when there is more than one.
 *
 * @example
 * ```tsx
 * <QuotaSummary resources={department.resources} />
 * ```
 */
export function QuotaSummary({ resources }: { resources: readonly ResourceItem[] }) {
  const pools = resources.map((item) => ({ item, lines: quotaLines(item) })).filter((p) => p.lines.length);
  if (pools.length === 0) return <p className="quota-none">No quotas set</p>;
  return (
    <div className="quotas">
      {pools.map(({ item, lines }, i) => (
        <dl key={item.nodePool?.id ?? `pool-${i}`} className="quota">
          {resources.length > 1 && (
            <div>
              <dt>Node pool</dt>
              <dd>{item.nodePool?.name ?? item.nodePool?.id ?? 'default'}</dd>
            </div>
          )}
          {lines.map(([label, text]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      ))}
    </div>
  );
}
