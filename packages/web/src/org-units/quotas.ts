import type { ResourceItem } from '@tessera/client';

/** The quota kinds a node pool has, in the order the UI shows them. */
export const QUOTA_KINDS = [
  { key: 'gpu', label: 'GPU', unit: 'GPUs' },
  { key: 'cpu', label: 'CPU', unit: 'cores' },
  { key: 'memory', label: 'Memory', unit: '' },
] as const;
export type QuotaKind = (typeof QUOTA_KINDS)[number]['key'];

/** The numbers of one quota, in the API's names. */
export const QUOTA_FIELDS = [
  { key: 'deserved', label: 'Deserved' },
  { key: 'limit', label: 'Limit' },
  { key: 'overQuotaWeight', label: 'Over-quota weight' },
] as const;
export type QuotaField = (typeof QUOTA_FIELDS)[number]['key'];

export type MemoryUnits = 'Mib' | 'MB' | 'GB';

/** The editable text of every quota number of one node pool, plus the memory units. */
export type QuotaDraft = Record<QuotaKind, Record<QuotaField, string>> & { memoryUnits: MemoryUnits };

const show = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** The item of the default node pool (no node pool, or the one named `default`), if any. */
export function defaultPoolItem(resources: readonly ResourceItem[]): ResourceItem | undefined {
  return resources.find((r) => !r.nodePool || r.nodePool.id === 'default') ?? resources[0];
}

/**
 * The form's starting text for a node pool's quotas; empty text means "not set".
 *
 * @example
 * ```ts
 * draftOf({ gpu: { deserved: 2 } }).gpu.deserved // '2'
 * ```
 */
export function draftOf(item: ResourceItem | undefined): QuotaDraft {
  const fields = (q: ResourceItem['gpu'] | undefined) => ({
    deserved: show(q?.deserved),
    limit: show(q?.limit),
    overQuotaWeight: show(q?.overQuotaWeight),
  });
  return {
    gpu: fields(item?.gpu),
    cpu: fields(item?.cpu),
    memory: fields(item?.memory),
    memoryUnits: item?.memory?.units ?? 'GB',
  };
}

/** A quota field the user typed something unusable into. */
export class QuotaInputError extends Error {
  constructor(
    readonly kind: QuotaKind,
    readonly field: QuotaField,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The API's resource item from the form: empty fields are left out, a quota with no numbers is left
 * out. Range checks are the server's; only text that is not a number is refused here.
 *
 * @example
 * ```ts
 * itemOf(draft, undefined) // { gpu: { deserved: 4 } }
 * ```
 */
export function itemOf(draft: QuotaDraft, nodePool: ResourceItem['nodePool']): ResourceItem {
  const item: ResourceItem = nodePool ? { nodePool } : {};
  for (const kind of QUOTA_KINDS) {
    const quota: Partial<Record<QuotaField, number>> = {};
    for (const field of QUOTA_FIELDS) {
      const text = draft[kind.key][field.key].trim();
      if (text === '') continue;
      const value = Number(text);
      if (!Number.isFinite(value))
        throw new QuotaInputError(
          kind.key,
          field.key,
          `${kind.label} ${field.label.toLowerCase()}: enter a number.`,
        );
      quota[field.key] = value;
    }
    if (Object.keys(quota).length === 0) continue;
    if (kind.key === 'memory') item.memory = { ...quota, units: draft.memoryUnits };
    else item[kind.key] = quota;
  }
  return item;
}

/**
 * The form field a server message is about (`body.0.gpu.limit: must be >= -1`), to mark it invalid.
 *
 * @example
 * ```ts
 * fieldOfMessage('body.0.gpu.limit: must be >= -1') // { kind: 'gpu', field: 'limit', problem: 'must be >= -1' }
 * ```
 */
export function fieldOfMessage(
  message: string,
): { kind: QuotaKind; field: QuotaField; problem: string } | undefined {
  const m = /\b(gpu|cpu|memory)\.(deserved|limit|overQuotaWeight): (.*)$/.exec(message);
  return m ? { kind: m[1] as QuotaKind, field: m[2] as QuotaField, problem: m[3]! } : undefined;
}

/**
 * The server's refusal in the form's words: `body.0.gpu.limit: must be >= -1` → `GPU limit: must be >= -1`.
 *
 * @example
 * ```ts
 * quotaRefusal('body.0.gpu.limit: must be >= -1') // 'GPU limit: must be >= -1'
 * ```
 */
export function quotaRefusal(message: string): string | undefined {
  const at = fieldOfMessage(message);
  if (!at) return undefined;
  const kind = QUOTA_KINDS.find((k) => k.key === at.kind)!.label;
  const field = QUOTA_FIELDS.find((f) => f.key === at.field)!.label.toLowerCase();
  return `${kind} ${field}: ${at.problem}`;
}

const amount = (n: number | null | undefined, unit: string) =>
  n === null || n === undefined ? undefined : n === -1 ? 'unlimited' : unit ? `${n} ${unit}` : String(n);

/**
 * One line per quota kind that has numbers, e.g. `4 GPUs deserved, limit 8, over-quota weight 2`.
 *
 * @example
 * ```ts
 * quotaLines({ gpu: { deserved: 4, limit: -1 } }) // [['GPU', '4 GPUs deserved, limit unlimited']]
 * ```
 */
export function quotaLines(item: ResourceItem | undefined): [label: string, text: string][] {
  if (!item) return [];
  const lines: [string, string][] = [];
  for (const kind of QUOTA_KINDS) {
    const q = item[kind.key];
    if (!q) continue;
    const unit = kind.key === 'memory' ? (item.memory?.units ?? '') : kind.unit;
    const parts = [
      amount(q.deserved, unit) && `${amount(q.deserved, unit)} deserved`,
      amount(q.limit, unit) && `limit ${amount(q.limit, unit)}`,
      q.overQuotaWeight !== null &&
        q.overQuotaWeight !== undefined &&
        `over-quota weight ${q.overQuotaWeight}`,
    ].filter(Boolean);
    if (parts.length) lines.push([kind.label, parts.join(', ')]);
  }
  return lines;
}
