import type { ReactNode } from 'react';
import { Table } from './Table.js';

/**
 * A page's list as a {@link Table}, a row per item, or what stands in its place: "Loading…" until
 * the list arrives, and the `empty` sentence when it has no items. While the page shows an `error`,
 * the list that did not load has no Loading line: the error says why.
 *
 * @example
 * ```tsx
 * <ListTable
 *   items={keys}
 *   error={error}
 *   empty="You have no access keys yet."
 *   columns={['Name', 'Created']}
 *   row={(key) => <tr key={key.id}>…</tr>}
 * />
 * ```
 */
export function ListTable<T>({
  items,
  error,
  empty,
  columns,
  row,
}: {
  items: readonly T[] | undefined;
  error: string | undefined;
  empty: string;
  columns: readonly (string | false)[];
  /** The item's `<tr>`, with its `key`. */
  row: (item: T) => ReactNode;
}) {
  if (items === undefined) return !error && <p aria-busy="true">Loading…</p>;
  if (items.length === 0) return <p>{empty}</p>;
  return <Table columns={columns}>{items.map(row)}</Table>;
}
