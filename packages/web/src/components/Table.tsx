import type { ReactNode } from 'react';

/**
 * A table in its own horizontally scrolling box (a wide table does not widen the page): a header
 * row of column names and the body rows given as children. A column given as `false` (typically
 * `mayDelete && 'Actions'`) is left out.
 *
 * @example
 * ```tsx
 * <Table columns={['Email', 'Created', mayDelete && 'Actions']}>
 *   {users.map((u) => <tr key={u.id}>…</tr>)}
 * </Table>
 * ```
 */
export function Table({ columns, children }: { columns: readonly (string | false)[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map(
              (column) =>
                column && (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
