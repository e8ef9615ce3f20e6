import { invalidField } from '../errors/registry.js';

/** The fields of `POST /api/v1/token`, by their lower-cased names. */
const KNOWN = [
  'granttype',
  'appid',
  'appsecret',
  'clientid',
  'clientsecret',
  'username',
  'password',
  'refreshtoken',
  'code',
  'redirecturi',
  'codeverifier',
  'externaltoken',
  'devicecode',
  'scope',
] as const;

export type TokenField = (typeof KNOWN)[number];
export type TokenFields = Partial<Record<TokenField, string>>;

const KNOWN_SET = new Set<string>(KNOWN);
const MAX_FIELD_LENGTH = 8192;

/**
 * Reads the token request's fields case-insensitively: real clients send `AppId`, `appID`,
 * `clientId`, `clientID`… Unknown fields are ignored (clients add their own); a known field given
 * twice under different casings, not as a string or with a NUL character, is a 400 naming it.
 *
 * @example
 * ```ts
 * normalizeTokenFields({ grantType: 'app_token', AppId: 'ci', AppSecret: 's' })
 * // { granttype: 'app_token', appid: 'ci', appsecret: 's' }
 * ```
 */
export function normalizeTokenFields(body: unknown): TokenFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidField('body', 'must be a JSON object');
  }
  const fields: TokenFields = {};
  for (const [name, value] of Object.entries(body)) {
    const key = name.toLowerCase();
    if (!KNOWN_SET.has(key)) continue;
    if (typeof value !== 'string') throw invalidField(name, 'must be a string');
    if (value.length > MAX_FIELD_LENGTH)
      throw invalidField(name, `must be at most ${MAX_FIELD_LENGTH} characters`);
    // PostgreSQL text cannot hold NUL: refuse it here rather than fail in the store.
    if (value.includes('\u0000')) throw invalidField(name, 'must not contain NUL characters');
    if (fields[key as TokenField] !== undefined) throw invalidField(name, 'is given more than once');
    fields[key as TokenField] = value;
  }
  return fields;
}

/**
 * The field's value, or a 400 naming it (by the spec's spelling) when absent or empty.
 *
 * @example
 * ```ts
 * const secret = requireField(fields, 'appsecret', 'AppSecret')
 * ```
 */
export function requireField(fields: TokenFields, key: TokenField, display: string): string {
  const value = fields[key];
  if (value === undefined || value === '') throw invalidField(display, 'is required');
  return value;
}
