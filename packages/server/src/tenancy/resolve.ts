import type { Kysely } from 'kysely';
import { DEFAULT_TENANT_ID } from '../bootstrap/bootstrap.js';
import type { Database } from '../store/schema.js';

/**
 * The tenant a request belongs to, from its `Host` header: a tenant whose `host` is that name
 * (SaaS style, `acme.example`), otherwise the single default tenant of a self-hosted install.
 * The token endpoint mints for this tenant and the authenticator refuses tokens of any other.
 *
 * @example
 * ```ts
 * const tenantId = await resolveTenant(db, request.headers.host) // 1 when self-hosted
 * ```
 */
export async function resolveTenant(db: Kysely<Database>, hostHeader: string | undefined): Promise<number> {
  const host = hostName(hostHeader);
  if (!host) return DEFAULT_TENANT_ID;
  const cached = CACHE.get(host);
  const now = Date.now();
  if (cached && cached.db === db && now - cached.at < CACHE_MS) return cached.id;
  const row = await db.selectFrom('tenants').select('id').where('host', '=', host).executeTakeFirst();
  const id = row?.id ?? DEFAULT_TENANT_ID;
  if (CACHE.size > 10_000) CACHE.clear();
  CACHE.set(host, { db, id, at: now });
  return id;
}

/**
 * Host → tenant answers are kept for a few seconds: every authenticated request resolves its host,
 * and tenants' hosts change rarely (a new host takes effect on every replica within {@link CACHE_MS}).
 */
const CACHE_MS = 5_000;
const CACHE = new Map<string, { db: Kysely<Database>; id: number; at: number }>();

/** `Acme.Example:8080` → `acme.example`; IPv6 literals keep their brackets. */
export function hostName(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const trimmed = hostHeader.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1) || undefined;
  return trimmed.split(':')[0] || undefined;
}
