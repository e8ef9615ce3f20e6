import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The root secret. Signing keys are encrypted under a key derived from it and secret hashes are
 * peppered with another, so a stolen database alone yields neither usable keys nor crackable hashes.
 */
export interface MasterKey {
  /** Encrypts with AES-256-GCM; the result carries its IV and tag. */
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** A 32-byte key for HMAC-SHA-256 of secrets. */
  readonly pepper: Buffer;
}

const KEY_FILE = 'master.key';

/**
 * Loads the master key from config (`TESSERA_MASTER_KEY`), else from `master.key` in the data dir,
 * creating that file with mode 0600 on first start.
 *
 * @example
 * ```ts
 * const master = loadMasterKey(config.masterKey, config.dataDir)
 * const sealed = master.seal(privatePem)
 * ```
 */
export function loadMasterKey(configured: string | undefined, dataDir: string): MasterKey {
  return deriveMasterKey(configured ? Buffer.from(configured, 'base64') : readOrCreateKeyFile(dataDir));
}

function readOrCreateKeyFile(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold the base64 of 32 bytes`);
  return key;
}

/** Derives the purpose keys from 32 root bytes. */
export function deriveMasterKey(root: Buffer): MasterKey {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), info, 32));
  const encryptionKey = derive('tessera/signing-key-encryption/v1');
  const pepper = derive('tessera/secret-pepper/v1');
  return {
    pepper,
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
