import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { SigningPlacement } from '../crypto/cpu-budget.js';
import { DEFAULT_LOG_BUFFER_BYTES, LOG_FLUSH_INTERVAL_MS, MAX_LOG_BUFFER_BYTES } from '@tessera/log';
import {
  addressList,
  ConfigError,
  integer,
  oneOf,
  optionalText,
  text,
  url,
  type SettingSpec,
} from './settings.js';

/** Signing algorithms Tessera can issue with. */
export type SigningAlgorithm = 'ES256' | 'RS256' | 'EdDSA';

/**
 * The validated, frozen configuration. Read once at start by {@link loadConfig}; modules receive it,
 * they never read `process.env` themselves.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly publicUrl: string | undefined;
  readonly adminEmail: string;
  readonly adminPassword: string | undefined;
  readonly masterKey: string | undefined;
  readonly signingAlgorithm: SigningAlgorithm;
  readonly signOffEventLoop: SigningPlacement;
  readonly accessTokenTtlSec: number;
  readonly tokenAudience: string;
  readonly bodyLimitBytes: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly logBufferBytes: number;
  readonly refreshTokenTtlSec: number;
  readonly sessionIdleTimeoutSec: number;
  readonly lockoutThreshold: number;
  readonly keyRotationIntervalSec: number;
  readonly trustProxy: readonly string[];
}

type Specs = { [K in keyof Config]: SettingSpec<Config[K]> };

/** The settings, keyed by the config field they fill. Order is the README table's order. */
export const SETTINGS: Specs = {
  port: {
    key: 'PORT',
    description: 'TCP port to listen on (0 picks a free one and logs it).',
    defaultText: '8080',
    parse: integer('PORT', 8080, 0, 65535),
  },
  host: {
    key: 'HOST',
    description: 'Address to bind. Use `0.0.0.0` to accept connections from other machines.',
    defaultText: '127.0.0.1',
    parse: text('127.0.0.1'),
  },
  dataDir: {
    key: 'TESSERA_DATA_DIR',
    description: 'Directory for the SQLite store and the generated master key file.',
    defaultText: './data',
    parse: (raw) => resolve(raw || './data'),
  },
  databaseUrl: {
    key: 'TESSERA_DATABASE_URL',
    description: 'PostgreSQL URL (`postgres://user@host:5432/db`). Unset: embedded SQLite in the data dir.',
    defaultText: '(SQLite)',
    parse: url('TESSERA_DATABASE_URL', ['postgres:', 'postgresql:']),
  },
  publicUrl: {
    key: 'TESSERA_PUBLIC_URL',
    description:
      'URL clients use to reach this server; it is the token issuer (`iss`). Set it behind a proxy.',
    defaultText: 'http://HOST:PORT',
    parse: (raw) => url('TESSERA_PUBLIC_URL', ['http:', 'https:'])(raw)?.replace(/\/+$/, ''),
  },
  adminEmail: {
    key: 'TESSERA_ADMIN_EMAIL',
    description: 'Email of the administrator created on first start.',
    defaultText: 'admin@tessera.local',
    parse: (raw) => {
      const value = (raw || 'admin@tessera.local').trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+$/.test(value))
        throw new ConfigError('TESSERA_ADMIN_EMAIL', 'is not an email address');
      return value;
    },
  },
  adminPassword: {
    key: 'TESSERA_ADMIN_PASSWORD',
    description: 'Password of that administrator. Unset: a random one is generated and printed once.',
    defaultText: '(generated)',
    parse: (raw) => {
      const value = optionalText(raw);
      if (value !== undefined && value.length < 8)
        throw new ConfigError('TESSERA_ADMIN_PASSWORD', 'must be at least 8 characters');
      return value;
    },
  },
  masterKey: {
    key: 'TESSERA_MASTER_KEY',
    description:
      'Base64 of 32 random bytes; encrypts signing keys and peppers secret hashes. Unset: `master.key` (mode 0600) in the data dir. Replicas sharing a database must share it.',
    defaultText: '(key file)',
    parse: (raw) => {
      const value = optionalText(raw);
      if (value !== undefined && Buffer.from(value, 'base64').length !== 32) {
        throw new ConfigError('TESSERA_MASTER_KEY', 'must be the base64 encoding of exactly 32 bytes');
      }
      return value;
    },
  },
  signingAlgorithm: {
    key: 'TESSERA_SIGNING_ALG',
    description: 'Algorithm of new signing keys: `ES256`, `RS256` (kube-apiserver default) or `EdDSA`.',
    defaultText: 'ES256',
    parse: oneOf<SigningAlgorithm>('TESSERA_SIGNING_ALG', 'ES256', ['ES256', 'RS256', 'EdDSA']),
  },
  signOffEventLoop: {
    key: 'TESSERA_SIGN_OFF_EVENT_LOOP',
    description:
      'Where token signatures are computed: `always` on a worker thread (another core, off the event loop; the signatures of one event-loop turn go together), `never` on the event loop, `auto`: on the worker when the process may use 2 CPUs or more (its CPU affinity and cgroup CPU quota), else on the event loop. The choice is logged at start.',
    defaultText: 'auto',
    parse: oneOf<SigningPlacement>('TESSERA_SIGN_OFF_EVENT_LOOP', 'auto', ['auto', 'always', 'never']),
  },
  accessTokenTtlSec: {
    key: 'TESSERA_ACCESS_TOKEN_TTL',
    description: 'Access token lifetime in seconds (`expiresIn`).',
    defaultText: '3600',
    parse: integer('TESSERA_ACCESS_TOKEN_TTL', 3600, 60, 86_400),
  },
  tokenAudience: {
    key: 'TESSERA_TOKEN_AUDIENCE',
    description: 'The `aud` of access tokens; Cluster APIs and other resource servers check it.',
    defaultText: 'runai',
    parse: text('runai'),
  },
  bodyLimitBytes: {
    key: 'TESSERA_BODY_LIMIT',
    description: 'Largest request body accepted, in bytes; larger ones get 413.',
    defaultText: '1048576',
    parse: integer('TESSERA_BODY_LIMIT', 1_048_576, 1024, 64 * 1_048_576),
  },
  logLevel: {
    key: 'TESSERA_LOG_LEVEL',
    description: 'Log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
    defaultText: 'info',
    parse: oneOf('TESSERA_LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  },
  logBufferBytes: {
    key: 'TESSERA_LOG_BUFFER',
    description: `Bytes of log lines gathered before they are written to stdout (at most ${MAX_LOG_BUFFER_BYTES}); lines wait ${LOG_FLUSH_INTERVAL_MS} ms at most, and a normal exit writes them all, but a killed process (\`SIGKILL\`) loses what is buffered. \`0\`: every line is written as it is logged.`,
    defaultText: String(DEFAULT_LOG_BUFFER_BYTES),
    parse: integer('TESSERA_LOG_BUFFER', DEFAULT_LOG_BUFFER_BYTES, 0, MAX_LOG_BUFFER_BYTES),
  },
  refreshTokenTtlSec: {
    key: 'TESSERA_REFRESH_TOKEN_TTL',
    description: 'Refresh token lifetime in seconds (default for tenants that do not set one).',
    defaultText: '2592000',
    parse: integer('TESSERA_REFRESH_TOKEN_TTL', 2_592_000, 300, 31_536_000),
  },
  sessionIdleTimeoutSec: {
    key: 'TESSERA_SESSION_IDLE_TIMEOUT',
    description: 'Browser sign-in session idle timeout in seconds (default for tenants that do not set one).',
    defaultText: '1800',
    parse: integer('TESSERA_SESSION_IDLE_TIMEOUT', 1800, 60, 604_800),
  },
  lockoutThreshold: {
    key: 'TESSERA_LOCKOUT_THRESHOLD',
    description: 'Failed credential checks per account and client address before growing delays (429) start.',
    defaultText: '5',
    parse: integer('TESSERA_LOCKOUT_THRESHOLD', 5, 1, 1000),
  },
  keyRotationIntervalSec: {
    key: 'TESSERA_KEY_ROTATION_INTERVAL',
    description: 'Signing-key rotation interval in seconds; 0 disables scheduled rotation.',
    defaultText: '7776000',
    parse: integer('TESSERA_KEY_ROTATION_INTERVAL', 7_776_000, 0, 315_360_000),
  },
  trustProxy: {
    key: 'TESSERA_TRUST_PROXY',
    description:
      'Comma-separated addresses or CIDRs of reverse proxies (or `loopback`, `linklocal`, `uniquelocal`) whose `X-Forwarded-For` names the client; throttling and the audit log then key on that client. Empty: the socket address is the client, and `X-Forwarded-For` is ignored.',
    defaultText: '(none)',
    parse: addressList('TESSERA_TRUST_PROXY'),
  },
};

const CONFIG_FILE_KEY = 'TESSERA_CONFIG_FILE';

/**
 * Reads the configuration once: an optional YAML file named by `TESSERA_CONFIG_FILE` (keys are the
 * environment variable names), overridden by the environment. Throws {@link ConfigError} naming
 * the key at fault.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env)
 * config.port // 8080
 * ```
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const file = readConfigFile(env[CONFIG_FILE_KEY]);
  const raw = (key: string): string | undefined => env[key] ?? file[key];
  const known = new Set(Object.values(SETTINGS).map((s) => s.key));
  for (const key of Object.keys(file)) {
    if (!known.has(key)) throw new ConfigError(key, `unknown setting in ${env[CONFIG_FILE_KEY]}`);
  }
  const entries = Object.entries(SETTINGS).map(([field, spec]) => [field, spec.parse(raw(spec.key))]);
  return Object.freeze(Object.fromEntries(entries)) as Config;
}

function readConfigFile(path: string | undefined): Record<string, string> {
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(CONFIG_FILE_KEY, `cannot read ${path}: ${(err as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(CONFIG_FILE_KEY, `${path} must be a mapping of setting names to values`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}
