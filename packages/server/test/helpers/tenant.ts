import { request } from 'node:http';
import { v4 as uuidv4 } from 'uuid';
import { hashPassword } from '../../src/crypto/passwords.js';
import { openDirect } from './direct-store.js';
import type { JsonResponse } from './api.js';
import type { TestDatabase } from './stores.js';

/**
 * Creates a second tenant selected by `host`, with a System administrator, directly in the store
 * (tenants are provisioned by the operator, not through the Run:ai API).
 */
export async function createTenant(
  db: TestDatabase,
  host: string,
  email: string,
  password: string,
): Promise<number> {
  const store = openDirect(db);
  try {
    const now = Date.now();
    const { id } = await store.db
      .insertInto('tenants')
      .values({ name: host, host, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('users')
      .values({
        id: uuidv4(),
        tenant_id: id,
        email,
        name: null,
        password_hash: await hashPassword(password),
        must_change_password: 0,
        enabled: 1,
        tokens_valid_after: 0,
        last_login: null,
        created_by: 'test',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await store.db
      .insertInto('access_rules')
      .values({
        tenant_id: id,
        subject_type: 'user',
        subject_id: email,
        role_id: 1,
        scope_type: 'tenant',
        scope_id: String(id),
        cluster_id: null,
        created_by: 'test',
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  } finally {
    await store.close();
  }
}

/**
 * Like `call`, but with an explicit `Host` header (fetch may not set one), so a request reaches the
 * tenant that host selects.
 *
 * @example
 * ```ts
 * await callHost(url, 'acme.example', 'GET', '/api/v1/users', undefined, token)
 * ```
 */
export function callHost<T = any>(
  base: string,
  host: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<JsonResponse<T>> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: {
          host,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // keep text
          }
          resolve({ status: res.statusCode ?? 0, headers: new Headers(), body: parsed as T });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
