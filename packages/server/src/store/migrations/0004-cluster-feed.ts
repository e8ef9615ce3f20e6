import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The change feed clusters sync from: an append-only log written in the same transaction as each
 * change it describes. `tenant_id` null means "every tenant" (signing keys).
 */
export function clusterFeed(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const serialId = (c: ColumnDefinitionBuilder) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
      await db.schema
        .createTable('change_events')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', serialId)
        .addColumn('tenant_id', 'integer')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
