import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config.js';
import type { MasterKey } from './crypto/master-key.js';
import type { KeyRing } from './keys/key-ring.js';
import type { Store } from './store/store.js';

/**
 * What every feature receives: the config, the store, keys. Built once in `main`, passed down;
 * there are no module-level singletons.
 */
export interface Context {
  readonly config: Config;
  readonly store: Store;
  readonly master: MasterKey;
  readonly keys: KeyRing;
  /** The `iss` of every token; the public URL, or the bound address when none is configured. */
  readonly issuer: () => string;
  readonly log: FastifyBaseLogger;
}
