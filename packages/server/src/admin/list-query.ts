import { Type } from '@sinclair/typebox';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { invalidField } from '../errors/registry.js';

/** How a filterable field is stored: its column (or SQL expression) and its kind. */
export interface FieldSpec {
  column: string;
  kind: 'text' | 'number' | 'instant' | 'boolean';
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

/**
 * The SQL condition for parsed filters (all ANDed); text comparisons with `=@ !@ =^ =$` are
 * case-insensitive, like Run:ai's.
 */
export function filterSql(
  conditions: readonly Condition[],
  fields: Record<string, FieldSpec>,
): Expression<SqlBool> {
  if (conditions.length === 0) return sql<SqlBool>`1 = 1`;
  const parts = conditions.map((c) => {
    const spec = fields[c.field] as FieldSpec;
    const col = sql.ref(spec.column);
    const value = coerce(c.field, spec, c.value);
    const like = (pattern: string, negate = false): RawBuilder<SqlBool> =>
      negate
        ? sql<SqlBool>`lower(${col}) not like ${pattern} escape '\\'`
        : sql<SqlBool>`lower(${col}) like ${pattern} escape '\\'`;
    const lowered = escapeLike(String(value).toLowerCase());
    switch (c.op) {
      case '==':
        return sql<SqlBool>`${col} = ${value}`;
      case '!=':
        return sql<SqlBool>`(${col} is null or ${col} <> ${value})`;
      case '<=':
        return sql<SqlBool>`${col} <= ${value}`;
      case '>=':
        return sql<SqlBool>`${col} >= ${value}`;
      case '=@':
        return like(`%${lowered}%`);
      case '!@':
        return like(`%${lowered}%`, true);
      case '=^':
        return like(`${lowered}%`);
      case '=$':
        return like(`%${lowered}`);
    }
  });
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
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
