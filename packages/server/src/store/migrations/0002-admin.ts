import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The Administrator REST API's schema (issue #3): org-unit details and quotas, service accounts,
 * per-user access keys, tenant settings, tenant host names, and the indexes list endpoints page over.
 */
export function admin(dialect: Dialect) {
  const bigint = 'bigint';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('tenants').addColumn('host', 'text').execute();
      await db.schema.createIndex('tenants_host').unique().on('tenants').column('host').execute();

      for (const table of ['departments', 'projects']) {
        await db.schema.alterTable(table).addColumn('description', 'text').execute();
        await db.schema
          .alterTable(table)
          .addColumn('resources', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
        await db.schema.alterTable(table).addColumn('updated_by', 'text').execute();
      }
      await db.schema.alterTable('projects').addColumn('requested_namespace', 'text').execute();
      await db.schema
        .createIndex('projects_tenant_department')
        .on('projects')
        .columns(['tenant_id', 'department_id'])
        .execute();
      await db.schema
        .createIndex('projects_tenant_created')
        .on('projects')
        .columns(['tenant_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('users_tenant_created')
        .on('users')
        .columns(['tenant_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('service_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull().unique())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('tokens_valid_after', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('last_login', bigint)
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('updated_at', bigint, (c) => c.notNull())
        .addUniqueConstraint('service_accounts_tenant_name', ['tenant_id', 'name'])
        .execute();

      await db.schema
        .createTable('access_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull().unique())
        .addColumn('tokens_valid_after', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('last_login', bigint)
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addUniqueConstraint('access_keys_user_name', ['tenant_id', 'user_id', 'name'])
        .execute();

      await db.schema
        .createTable('tenant_settings')
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('tenant_settings_pk', ['tenant_id', 'key'])
        .execute();

      // "Contains" filters on names stay fast on large lists: trigram indexes (pg_trgm GIN on
      // PostgreSQL, an FTS5 trigram table kept in step by triggers on SQLite).
      if (dialect === 'postgres') {
        await sql`create extension if not exists pg_trgm`.execute(db);
        await sql`create index projects_name_trgm on projects using gin (lower(name) gin_trgm_ops)`.execute(
          db,
        );
        await sql`create index users_email_trgm on users using gin (lower(email) gin_trgm_ops)`.execute(db);
      } else {
        for (const [table, column, key] of [
          ['projects', 'name', 'id'],
          ['users', 'email', 'rowid'],
        ] as const) {
          const fts = `${table}_${column}_fts`;
          await sql
            .raw(
              `create virtual table ${fts} using fts5(${column}, content='${table}', content_rowid='${key}', tokenize='trigram')`,
            )
            .execute(db);
          await sql
            .raw(
              `create trigger ${fts}_ai after insert on ${table} begin insert into ${fts}(rowid, ${column}) values (new.${key}, new.${column}); end`,
            )
            .execute(db);
          await sql
            .raw(
              `create trigger ${fts}_ad after delete on ${table} begin insert into ${fts}(${fts}, rowid, ${column}) values ('delete', old.${key}, old.${column}); end`,
            )
            .execute(db);
          await sql
            .raw(
              `create trigger ${fts}_au after update of ${column} on ${table} begin insert into ${fts}(${fts}, rowid, ${column}) values ('delete', old.${key}, old.${column}); insert into ${fts}(rowid, ${column}) values (new.${key}, new.${column}); end`,
            )
            .execute(db);
          await sql.raw(`insert into ${fts}(${fts}) values ('rebuild')`).execute(db);
        }
      }
    },
  };
}
