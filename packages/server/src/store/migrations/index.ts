import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../dialect.js';
import { init } from './0001-init.js';
import { admin } from './0002-admin.js';
import { oauth } from './0003-oauth.js';
import { clusterFeed } from './0004-cluster-feed.js';
import { listIndexes } from './0005-list-indexes.js';
import { idps } from './0006-idps.js';
import { credentialNotify } from './0007-credential-notify.js';
import { throttleLockNotify } from './0008-throttle-lock-notify.js';

/**
 * The one migration set, in order. Each migration receives the dialect so that it can pick a column
 * type where SQLite and PostgreSQL differ; everything else is written once.
 */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-init': init(dialect),
        '0002-admin': admin(dialect),
        '0003-oauth': oauth(dialect),
        '0004-cluster-feed': clusterFeed(dialect),
        '0005-list-indexes': listIndexes(dialect),
        '0006-idps': idps(dialect),
        '0007-credential-notify': credentialNotify(dialect),
        '0008-throttle-lock-notify': throttleLockNotify(dialect),
      };
    },
  };
}
