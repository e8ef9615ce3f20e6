import { createPrivateKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { SigningAlgorithm } from '../config/config.js';
import type { MasterKey } from '../crypto/master-key.js';
import type { Database } from '../store/schema.js';
import { publishChange } from '../feed/publish.js';

/** A key that can sign. */
export interface ActiveKey {
  kid: string;
  alg: SigningAlgorithm;
  /** The private half, for node:crypto (keys/compact-sign.ts). */
  keyObject: KeyObject;
  /** Whether it is signed off the event loop, on a worker thread (`crypto/cpu-budget.ts`). */
  offEventLoop: boolean;
}

/** A public key as published in the JWKS. */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

/**
 * The tenant's signing keys, loaded from the store. One key signs; retired keys stay published
 * until every token they signed has expired (`keepRetiredMs`).
 */
export interface KeyRing {
  active(): ActiveKey;
  /** The published key set: the active key and retired keys still within their tokens' lifetime. */
  jwks(): { keys: PublicJwk[] };
  /** Reloads from the store, e.g. when a token names a `kid` another replica created. */
  reload(): Promise<void>;
  /** Creates a new signing key and retires the current one. */
  rotate(): Promise<ActiveKey>;
}

interface KeyRingOptions {
  db: Kysely<Database>;
  master: MasterKey;
  algorithm: SigningAlgorithm;
  /** How long a retired key stays in the JWKS: the longest lifetime of a token it may have signed. */
  keepRetiredMs: number;
  /** Sign off the event loop (the default) or on it: `signsOffEventLoop`. */
  signOffEventLoop?: boolean;
  now?: () => number;
}

/**
 * Opens the key ring. Start-up creates the first key beforehand with {@link ensureSigningKey} under
 * the start-up lock, so two processes starting together do not both create one.
 *
 * @example
 * ```ts
 * const ring = await openKeyRing({ db, master, algorithm: 'ES256', keepRetiredMs: 3_600_000 })
 * const { kid, privateKey } = ring.active()
 * ```
 */
export async function openKeyRing(options: KeyRingOptions): Promise<KeyRing> {
  const now = options.now ?? Date.now;
  let active: ActiveKey | undefined;
  // One object per load, so callers can tell a changed key set by identity.
  let published: { keys: PublicJwk[] } = { keys: [] };

  async function load(): Promise<void> {
    const rows = await options.db
      .selectFrom('signing_keys')
      .selectAll()
      .where((eb) =>
        eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', now() - options.keepRetiredMs)]),
      )
      .orderBy('created_at', 'desc')
      .execute();
    const current = rows.find((r) => r.retired_at === null);
    if (current && current.kid !== active?.kid) {
      const alg = current.alg as SigningAlgorithm;
      active = {
        kid: current.kid,
        alg,
        keyObject: createPrivateKey(options.master.open(current.private_key_enc)),
        offEventLoop: options.signOffEventLoop ?? true,
      };
    }
    published = { keys: rows.map((r) => JSON.parse(r.public_jwk) as PublicJwk) };
  }

  const create = () => createSigningKey(options.db, options.master, options.algorithm, now());

  await load();
  if (!active) {
    await create();
    await load();
  }

  return {
    active: () => active as ActiveKey,
    jwks: () => published,
    reload: load,
    async rotate() {
      await create();
      await load();
      return active as ActiveKey;
    },
  };
}

/**
 * Creates a signing key and makes it the active one, retiring the current key (which stays
 * published until its tokens expire).
 *
 * @example
 * ```ts
 * await createSigningKey(db, master, 'ES256')
 * ```
 */
export async function createSigningKey(
  db: Kysely<Database>,
  master: MasterKey,
  algorithm: SigningAlgorithm,
  now = Date.now(),
): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk: PublicJwk = Object.assign({}, jwk, { kid, alg: algorithm, use: 'sig' as const });
  const sealed = master.seal(await exportPKCS8(privateKey));
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
    await trx
      .insertInto('signing_keys')
      .values({
        kid,
        alg: algorithm,
        public_jwk: JSON.stringify(publicJwk),
        private_key_enc: sealed,
        created_at: now,
        retired_at: null,
      })
      .execute();
    await publishChange(trx, null, { kind: 'keys' });
  });
  return kid;
}

/** Creates the first signing key on an empty store; run it inside the start-up lock. */
export async function ensureSigningKey(
  db: Kysely<Database>,
  master: MasterKey,
  algorithm: SigningAlgorithm,
): Promise<void> {
  const current = await db
    .selectFrom('signing_keys')
    .select('kid')
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  if (!current) await createSigningKey(db, master, algorithm);
}
