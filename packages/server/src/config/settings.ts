import { isIP } from 'node:net';

/**
 * Every setting Tessera reads, in one list. The README's configuration table is checked against it
 * (test/config/readme.test.ts), so adding a setting here without documenting it fails the build.
 */
export interface SettingSpec<T> {
  key: string;
  description: string;
  /** Shown in the README; `undefined` means "not set". */
  defaultText: string;
  parse: (raw: string | undefined) => T;
}

export class ConfigError extends Error {
  readonly key: string;
  constructor(key: string, problem: string) {
    super(`${key}: ${problem}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

export function integer(key: string, fallback: number, min: number, max: number): (raw?: string) => number {
  return (raw) => {
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(key, `must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new ConfigError(key, `must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

export function oneOf<T extends string>(key: string, fallback: T, values: readonly T[]): (raw?: string) => T {
  return (raw) => {
    if (raw === undefined || raw === '') return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(key, `must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  };
}

export function text(fallback: string): (raw?: string) => string {
  return (raw) => (raw === undefined || raw === '' ? fallback : raw);
}

export function optionalText(raw?: string): string | undefined {
  return raw === undefined || raw === '' ? undefined : raw;
}

export function url(key: string, protocols: readonly string[]): (raw?: string) => string | undefined {
  return (raw) => {
    if (raw === undefined || raw === '') return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(key, `is not a URL: "${redactUrl(raw)}"`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(key, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
    }
    return raw;
  };
}

const ADDRESS_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * A comma-separated list of IP addresses, CIDRs (`10.0.0.0/8`, `fd00::/8`) and the names
 * `loopback`, `linklocal`, `uniquelocal`; empty means none.
 *
 * @example
 * ```ts
 * addressList('TESSERA_TRUST_PROXY')('10.0.0.0/8, loopback') // ['10.0.0.0/8', 'loopback']
 * ```
 */
export function addressList(key: string): (raw?: string) => readonly string[] {
  return (raw) => {
    const items = (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const item of items) {
      if (ADDRESS_RANGES.includes(item)) continue;
      const [address = '', bits, extra] = item.split('/');
      const family = isIP(address);
      const max = family === 4 ? 32 : 128;
      const badBits = bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max);
      if (family === 0 || badBits || extra !== undefined)
        throw new ConfigError(
          key,
          `"${item}" is not an IP address, a CIDR or one of ${ADDRESS_RANGES.join(', ')}`,
        );
    }
    return Object.freeze(items);
  };
}

/** Strips a password from a URL so a config error never prints it. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
