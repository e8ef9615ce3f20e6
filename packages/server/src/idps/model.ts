import { invalidField } from '../errors/registry.js';

/** The realm name in broker URLs (Run:ai's clients and docs use `runai`; any realm is accepted). */
export const BROKER_REALM = 'runai';

/** The spec's Mappers: which upstream claim feeds each of our attributes. */
export interface Mappers {
  gid?: string;
  uid?: string;
  groups?: string;
  supplementaryGroups?: string;
  email?: string;
}

/** The spec's MandatoryClaim: sign-in needs `claim` to hold one of `values`. */
export interface MandatoryClaim {
  claim: string;
  values: string[];
}

/** What Tessera keeps of an OIDC provider besides its (sealed) client secret. */
export interface OidcConfig {
  clientId: string;
  /** The discovery document's URL (an issuer URL given instead gets the well-known suffix). */
  discoverDocumentUrl: string;
  scopes: string[];
  mandatoryClaim: MandatoryClaim | null;
}

/** A stored identity provider with its secret opened (only the relying-party code sees it). */
export interface IdentityProvider {
  tenantId: number;
  alias: string;
  type: 'oidc';
  oidc: OidcConfig;
  clientSecret: string;
  mappers: Mappers;
}

const WELL_KNOWN = '/.well-known/openid-configuration';
const MAPPER_KEYS = ['gid', 'uid', 'groups', 'supplementaryGroups', 'email'] as const;
const SCOPE = /^[a-zA-Z0-9-._:]+(\s[a-zA-Z0-9-._:]+)*$/;
/** Aliases appear in URL paths and in `security.autoRedirectSSO.idpAlias`; no `_` (the Python SDK rewrites it). */
export const ALIAS = /^[a-z0-9-]{1,64}$/;

/**
 * The broker callback URL of an alias, the `redirectUri` to register at the upstream provider.
 *
 * @example
 * ```ts
 * redirectUri('https://tessera.example', 'oidc') // 'https://tessera.example/auth/realms/runai/broker/oidc/endpoint'
 * ```
 */
export function redirectUri(issuer: string, alias: string): string {
  return `${issuer}/auth/realms/${BROKER_REALM}/broker/${alias}/endpoint`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(value: unknown, field: string, max = 2048): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidField(field, 'must be a non-empty string');
  if (value.length > max) throw invalidField(field, `must be at most ${max} characters`);
  return value.trim();
}

/**
 * A discovery document URL from what an admin typed: the document itself or the issuer. HTTPS only,
 * except on loopback (a provider on the same machine, as in tests).
 *
 * @example
 * ```ts
 * discoveryUrl('https://idp.example/realms/x', 'oidcData.discoverDocumentUrl')
 * // 'https://idp.example/realms/x/.well-known/openid-configuration'
 * ```
 */
export function discoveryUrl(value: unknown, field: string): string {
  const raw = text(value, field);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField(field, 'must be an absolute URL');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw invalidField(field, 'must be an https URL (http only on loopback)');
  if (url.username || url.password || url.hash)
    throw invalidField(field, 'must not carry credentials or a fragment');
  return url.pathname.endsWith(WELL_KNOWN)
    ? url.toString()
    : `${url.toString().replace(/\/$/, '')}${WELL_KNOWN}`;
}

/**
 * Validates a Mappers object (each value a claim name). `alias` is accepted and ignored: the
 * spec's schema requires it in answers.
 *
 * @example
 * ```ts
 * parseMappers({ email: 'email', groups: 'groups' }, 'mappers')
 * ```
 */
export function parseMappers(value: unknown, field: string): Mappers {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalidField(field, 'must be an object');
  const out: Mappers = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'alias') continue;
    if (!(MAPPER_KEYS as readonly string[]).includes(k))
      throw invalidField(`${field}.${k}`, `is not a mapper (${MAPPER_KEYS.join(', ')})`);
    if (v === null || v === '') continue;
    out[k as (typeof MAPPER_KEYS)[number]] = text(v, `${field}.${k}`, 256);
  }
  return out;
}

function parseMandatoryClaim(value: unknown): MandatoryClaim | null {
  const field = 'oidcData.mandatoryClaim';
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw invalidField(field, 'must be an object');
  const claim = text(value.claim, `${field}.claim`, 256);
  if (!Array.isArray(value.values) || value.values.length === 0)
    throw invalidField(`${field}.values`, 'must be a non-empty array');
  const values = value.values.map((v, i) => {
    const s = text(v, `${field}.values[${i}]`, 256);
    if (/\s/.test(s)) throw invalidField(`${field}.values[${i}]`, 'must not contain spaces');
    return s;
  });
  return { claim, values };
}

/**
 * Validates `IdpCreationRequest` (POST and PUT bodies). Only `type: "oidc"` is served; `saml` and
 * `openshift-v4` are refused naming `type`. `clientSecret` may be omitted on PUT (or sent as the
 * masked `*******` read back from GET) to keep the stored one.
 *
 * @example
 * ```ts
 * const { alias, oidc, clientSecret, mappers } = parseIdpRequest(request.body, { secretRequired: true })
 * ```
 */
export function parseIdpRequest(
  body: unknown,
  options: { secretRequired: boolean },
): { alias: string; oidc: OidcConfig; clientSecret: string | undefined; mappers: Mappers } {
  if (!isObject(body)) throw invalidField('body', 'must be a JSON object');
  const type = body.type;
  if (type === 'saml' || type === 'openshift-v4')
    throw invalidField('type', `"${type}" identity providers are not supported; use "oidc"`);
  if (type !== 'oidc') throw invalidField('type', 'must be "oidc"');
  const alias = body.name === undefined || body.name === null ? 'oidc' : text(body.name, 'name', 64);
  if (!ALIAS.test(alias)) throw invalidField('name', 'must match ^[a-z0-9-]{1,64}$');
  const data = body.oidcData;
  if (!isObject(data)) throw invalidField('oidcData', 'is required for type "oidc"');
  const secret = data.clientSecret;
  const keep = secret === undefined || secret === MASKED_SECRET;
  if (keep && options.secretRequired) throw invalidField('oidcData.clientSecret', 'is required');
  let scopes: string[] = ['openid', 'email', 'profile'];
  if (data.scopes !== undefined && data.scopes !== null) {
    if (!Array.isArray(data.scopes)) throw invalidField('oidcData.scopes', 'must be an array');
    scopes = data.scopes.map((s, i) => {
      const v = text(s, `oidcData.scopes[${i}]`, 256);
      if (!SCOPE.test(v)) throw invalidField(`oidcData.scopes[${i}]`, 'must be scope names');
      return v;
    });
    if (!scopes.some((s) => s.split(/\s/).includes('openid'))) scopes = ['openid', ...scopes];
  }
  return {
    alias,
    oidc: {
      clientId: text(data.clientId, 'oidcData.clientId', 512),
      discoverDocumentUrl: discoveryUrl(data.discoverDocumentUrl, 'oidcData.discoverDocumentUrl'),
      scopes,
      mandatoryClaim: parseMandatoryClaim(data.mandatoryClaim),
    },
    clientSecret: keep ? undefined : text(secret, 'oidcData.clientSecret', 4096),
    mappers: parseMappers(body.mappers, 'mappers'),
  };
}

/** What answers show instead of the client secret (as the spec's examples do). */
export const MASKED_SECRET = '*******';
