import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Indexes for the lists people page through most, measured at 100,000 projects and users
 * (`bench/admin-lists.ts`):
 * - "A department's projects, newest first": with only (tenant_id, department_id) the store fetched
 *   every project of the department and sorted them (p99 33 ms); with the sort key and the
 *   tie-breaker in the index it reads the first page in order and stops. The wider index serves every
 *   query the old one did, so it replaces it.
 * - PostgreSQL: project names and user emails are lowercase by validation; collation "C" makes them
 *   compare bytewise, as on SQLite, so `like 'proj-0%'` becomes a range on the unique index (0.3 ms
 *   instead of 11 ms, count 4 ms instead of 37 ms) and both stores sort names the same way.
 * - PostgreSQL: the trigram indexes answer from the index alone (no pending list), see below.
 */
export function listIndexes(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('projects_tenant_department').execute();
      await db.schema
        .createIndex('projects_tenant_department_created')
        .on('projects')
        .columns(['tenant_id', 'department_id', 'created_at', 'id'])
        .execute();
      if (dialect === 'postgres') {
        await sql`alter table projects alter column name type text collate "C"`.execute(db);
        await sql`alter table users alter column email type text collate "C"`.execute(db);
        // GIN's fast update parks new entries in a pending list that every search scans until a
        // vacuum merges it: after 100,000 inserts a 20-hit search took 5 ms instead of 0.4 ms, and
        // the planner, costing the list, chose a sequential scan (21 ms) over the index. Admin writes
        // are rare; searches should not depend on when autovacuum last ran.
        for (const index of ['projects_name_trgm', 'users_email_trgm']) {
          await sql`alter index ${sql.ref(index)} set (fastupdate = off)`.execute(db);
          await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
        }
      }
    },
  };
}
