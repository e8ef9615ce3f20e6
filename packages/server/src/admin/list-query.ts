import { Type } from '@sinclair/typebox';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { invalidField } from '../errors/registry.js';
import type { Store } from '../store/store.js';

/** How a filterable field is stored: its column (or SQL expression) and its kind. */
export interface FieldSpec {
  column: string;
  kind: 'text' | 'number' | 'instant' | 'boolean';
  /**
   * Stored values are lowercase (validated on write) and compared bytewise (PostgreSQL column collation
   * "C", SQLite BINARY): a prefix filter is then an index range on the column itself.
   */
  lowercase?: boolean;
  /**
   * The column has a trigram index: an FTS5 trigram table (`fts`, keyed by `ftsKey`) on SQLite, a
   * pg_trgm GIN index on `lower(column)` on PostgreSQL; `key` is the row's primary key there.
   */
  trigram?: { fts: string; ftsKey: string; key: string };
}

/** The spec's eight `filterBy` operators. */
type Operator = '==' | '!=' | '<=' | '>=' | '=@' | '!@' | '=^' | '=$';

/** One parsed `filterBy` condition. */
export interface Condition {
  field: string;
  op: Operator;
  value: string;
}

/** Largest page a list endpoint returns (the spec's `limit` maximum). */
export const MAX_LIMIT = 500;

/** The query parameters every paged list endpoint shares. */
export const ListQuery = Type.Object({
  filterBy: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 32 })),
  sortBy: Type.Optional(Type.String({ maxLength: 64 })),
  sortOrder: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
  search: Type.Optional(Type.String({ maxLength: 256 })),
});

/**
 * Parses `filterBy` items (each may hold several comma-separated conditions, all of which must
 * hold) against the fields a list supports. An unknown field, operator or a value of the wrong kind
 * is a 400 naming `filterBy`.
 *
 * @example
 * ```ts
 * parseFilters(['name=@team,clusterId==7c…'], { name: { column: 'name', kind: 'text' } })
 * ```
 */
export function parseFilters(
  items: readonly string[] | undefined,
  fields: Record<string, FieldSpec>,
): Condition[] {
  const out: Condition[] = [];
  for (const item of items ?? []) {
    for (const part of item.split(',')) {
      if (part === '') continue;
      const match = /^([A-Za-z][A-Za-z0-9_]*)(==|!=|<=|>=|=@|!@|=\^|=\$)(.+)$/s.exec(part);
      if (!match) throw invalidField('filterBy', `"${part.slice(0, 80)}" is not <field><operator><value>`);
      const [, field, op, value] = match as unknown as [string, string, Operator, string];
      const spec = Object.hasOwn(fields, field) ? fields[field] : undefined;
      if (!spec)
        throw invalidField(
          'filterBy',
          `unknown field "${field}"; supported: ${Object.keys(fields).join(', ')}`,
        );
      if (spec.kind !== 'text' && ['=@', '!@', '=^', '=$'].includes(op))
        throw invalidField('filterBy', `operator ${op} applies to text fields, not "${field}"`);
      coerce(field, spec, value);
      out.push({ field, op, value });
    }
  }
  return out;
}

function coerce(field: string, spec: FieldSpec, value: string): string | number {
  switch (spec.kind) {
    case 'text':
      return value;
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw invalidField('filterBy', `${field} needs a number`);
      return Number(value);
    case 'boolean':
      if (value !== 'true' && value !== 'false')
        throw invalidField('filterBy', `${field} needs true or false`);
      return value === 'true' ? 1 : 0;
    case 'instant': {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw invalidField('filterBy', `${field} needs an ISO-8601 date-time`);
      return ms;
    }
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Above this many trigram hits a SQLite "contains" filter scans in index order instead. */
const SPARSE_HITS = 5_000;

/**
 * The SQL condition for parsed filters (all ANDed); text comparisons with `=@ !@ =^ =$` are
 * case-insensitive, like Run:ai's. On large tables the text operators use indexes: PostgreSQL's
 * planner picks its pg_trgm GIN index; on SQLite a sparse "contains" goes through the FTS5 trigram
 * table and a prefix on a lowercase column becomes an index range.
 *
 * @example
 * ```ts
 * query.where(await filterWhere(ctx.store, parseFilters(q.filterBy, FIELDS), FIELDS))
 * ```
 */
export async function filterWhere(
  store: Pick<Store, 'db' | 'dialect'>,
  conditions: readonly Condition[],
  fields: Record<string, FieldSpec>,
): Promise<Expression<SqlBool>> {
  if (conditions.length === 0) return sql<SqlBool>`1 = 1`;
  const sqlite = store.dialect === 'sqlite';
  const escape = sqlite ? sql` escape '\\'` : sql``;
  const parts = await Promise.all(
    conditions.map(async (c): Promise<RawBuilder<SqlBool>> => {
      const spec = fields[c.field] as FieldSpec;
      const col = sql.ref(spec.column);
      const value = coerce(c.field, spec, c.value);
      const lowered = String(value).toLowerCase();
      const like = (pattern: string, negate = false) =>
        negate
          ? sql<SqlBool>`lower(${col}) not like ${pattern}${escape}`
          : sql<SqlBool>`lower(${col}) like ${pattern}${escape}`;
      switch (c.op) {
        case '==':
          return sql<SqlBool>`${col} = ${value}`;
        case '!=':
          return sql<SqlBool>`(${col} is null or ${col} <> ${value})`;
        case '<=':
          return sql<SqlBool>`${col} <= ${value}`;
        case '>=':
          return sql<SqlBool>`${col} >= ${value}`;
        case '!@':
          return like(`%${escapeLike(lowered)}%`, true);
        case '=^':
          // SQLite's LIKE folds case and so cannot use a BINARY index; a range can. PostgreSQL turns
          // `like 'x%'` on a "C"-collated column into that range by itself.
          if (spec.lowercase && sqlite)
            return sql<SqlBool>`(${col} >= ${lowered} and ${col} < ${lowered + '\uffff'})`;
          if (spec.lowercase) return sql<SqlBool>`${col} like ${`${escapeLike(lowered)}%`}`;
          return like(`${escapeLike(lowered)}%`);
        case '=@':
        case '=$': {
          const pattern = c.op === '=@' ? `%${escapeLike(lowered)}%` : `%${escapeLike(lowered)}`;
          if (spec.trigram && lowered.length >= 3) {
            // Sparse: hand the planner the matching keys themselves, so it looks rows up by key.
            // Left to itself it walks the sort index and filters (SQLite always; PostgreSQL when its
            // fixed guess of a pattern's selectivity is far off: 16 ms for 200 hits in 100,000 rows).
            // Dense: walking the sort index finds a page of hits quickly, so plain LIKE is right.
            const keys = await trigramKeys(
              store,
              Object.assign({}, spec, { trigram: spec.trigram }),
              lowered,
            );
            if (keys.length <= SPARSE_HITS) {
              if (keys.length === 0) return sql<SqlBool>`1 = 0`;
              const key = sql.ref(sqlite ? spec.trigram.ftsKey : spec.trigram.key);
              const match = sqlite ? sql`${key} in (${sql.join(keys)})` : sql`${key} = any(${keys})`;
              return sql<SqlBool>`(${match} and ${like(pattern)})`;
            }
          }
          return like(pattern);
        }
      }
    }),
  );
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** An FTS5 phrase: the text in double quotes, inner quotes doubled. */
const phrase = (text: string) => `"${text.replaceAll('"', '""')}"`;

/**
 * Keys of rows (of any tenant: the caller's query adds its own conditions) whose column contains
 * `text`, found through the trigram index, up to just past {@link SPARSE_HITS}.
 */
async function trigramKeys(
  store: Pick<Store, 'db' | 'dialect'>,
  spec: FieldSpec & { trigram: NonNullable<FieldSpec['trigram']> },
  text: string,
): Promise<Array<number | string>> {
  const { fts, key } = spec.trigram;
  const cap = SPARSE_HITS + 1;
  const query =
    store.dialect === 'sqlite'
      ? sql<{
          k: number;
        }>`select rowid as k from ${sql.table(fts)} where ${sql.table(fts)} match ${phrase(text)} limit ${cap}`
      : sql<{ k: number | string }>`select ${sql.ref(key)} as k from ${sql.table(key.split('.')[0] ?? '')}
          where lower(${sql.ref(spec.column)}) like ${`%${escapeLike(text)}%`} limit ${cap}`;
  const { rows } = await query.execute(store.db);
  return rows.map((r) => r.k);
}

/** Validates `sortBy` against the sortable fields; returns the column to order by. */
export function sortColumn(
  sortBy: string | undefined,
  fields: Record<string, FieldSpec>,
  fallback: string,
): string {
  if (sortBy === undefined) return fallback;
  const spec = Object.hasOwn(fields, sortBy) ? fields[sortBy] : undefined;
  if (!spec)
    throw invalidField(
      'sortBy',
      `unknown field "${sortBy.slice(0, 64)}"; supported: ${Object.keys(fields).join(', ')}`,
    );
  return spec.column;
}

/** Offset and limit with the spec's defaults. */
export function paging(q: { offset?: number; limit?: number }): { offset: number; limit: number } {
  return { offset: q.offset ?? 0, limit: q.limit ?? 50 };
}

/** The spec's `next`: the offset of the following page, present only when there is one. */
export function nextOffset(offset: number, limit: number, fetched: number): { next?: number } {
  return fetched > limit ? { next: offset + limit } : {};
}
