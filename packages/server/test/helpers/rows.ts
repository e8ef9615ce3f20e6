import type { Insertable } from 'kysely';
import type { ApplicationTable } from '../../src/store/schema.js';

/**
 * An `applications` row for tests that write the store directly: enabled, never logged in, in
 * tenant 1, client id `client-<id>`; `fields` override any column.
 *
 * @example
 * ```ts
 * await store.db.insertInto('applications').values(applicationRow('a1', { name: 'ci' })).execute()
 * ```
 */
export function applicationRow(
  id: string,
  fields: Partial<Insertable<ApplicationTable>> = {},
): Insertable<ApplicationTable> {
  const now = fields.created_at ?? Date.now();
  return {
    id,
    tenant_id: 1,
    name: id,
    client_id: `client-${id}`,
    enabled: 1,
    tokens_valid_after: 0,
    last_login: null,
    created_by: 'test',
    created_at: now,
    updated_at: now,
    ...fields,
  };
}
