import { CompactSign, importPKCS8 } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { loadMasterKey } from '../../../server/src/crypto/master-key.js';
import { openDirect } from '../../../server/test/helpers/direct-store.js';
import type { TestDatabase } from '../../../server/test/helpers/stores.js';

/** Inserts a project of tenant 1 on a cluster; returns its id as a string. */
export async function insertProjectOn(
  db: TestDatabase,
  name: string,
  clusterId: string | null,
): Promise<string> {
  const store = openDirect(db);
  try {
    const now = Date.now();
    const { id } = await store.db
      .insertInto('projects')
      .values({
        tenant_id: 1,
        name,
        department_id: null,
        cluster_id: clusterId,
        created_by: 'test',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(id);
  } finally {
    await store.close();
  }
}

/** Reads a cluster row (status reporting checks). */
export async function readCluster(db: TestDatabase, id: string) {
  const store = openDirect(db);
  try {
    return await store.db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  } finally {
    await store.close();
  }
}

/**
 * Signs claims with the control plane's real active key, read from its store: forged-token tests
 * change one claim at a time so that exactly one check can fail.
 */
export async function signWithControlPlaneKey(
  db: TestDatabase,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const master = loadMasterKey(undefined, db.dataDir);
  const store = openDirect(db);
  try {
    const key = await store.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .executeTakeFirstOrThrow();
    const privateKey = await importPKCS8(master.open(key.private_key_enc), key.alg);
    return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
      .sign(privateKey);
  } finally {
    await store.close();
  }
}

/** Claims like the control plane mints for an application, minted now. */
export function appClaims(issuer: string, appId: string, overrides: Record<string, unknown> = {}) {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    sub: appId,
    aud: 'runai',
    exp: iat + 600,
    iat,
    jti: uuidv7(),
    client_id: appId,
    tenant_id: 1,
    subject_type: 'app',
    ...overrides,
  };
}
