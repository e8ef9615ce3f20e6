import type { Generated } from 'kysely';

/**
 * Table shapes shared by both dialects. Booleans are 0/1 integers, instants are epoch milliseconds
 * (`*_at` numbers) so they compare and index the same way on SQLite and PostgreSQL.
 */
export interface Database {
  tenants: TenantTable;
  users: UserTable;
  applications: ApplicationTable;
  credential_secrets: CredentialSecretTable;
  clusters: ClusterTable;
  departments: DepartmentTable;
  projects: ProjectTable;
  access_rules: AccessRuleTable;
  signing_keys: SigningKeyTable;
  audit_events: AuditEventTable;
  service_accounts: ServiceAccountTable;
  access_keys: AccessKeyTable;
  tenant_settings: TenantSettingTable;
  oauth_refresh_tokens: RefreshTokenTable;
  oauth_codes: AuthorizationCodeTable;
  oauth_device_codes: DeviceCodeTable;
  browser_sessions: BrowserSessionTable;
  revoked_tokens: RevokedTokenTable;
  auth_throttle: AuthThrottleTable;
  change_events: ChangeEventTable;
  identity_providers: IdentityProviderTable;
}

export interface TenantTable {
  id: Generated<number>;
  name: string;
  /** Host name that selects this tenant (`acme.example`); null for the self-hosted default. */
  host: Generated<string | null>;
  created_at: number;
}

export interface UserTable {
  id: string;
  tenant_id: number;
  email: string;
  name: string | null;
  password_hash: string;
  must_change_password: number;
  enabled: number;
  tokens_valid_after: number;
  last_login: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  /** The identity provider that created this user just in time; null for local users. */
  idp_alias: Generated<string | null>;
  /** JSON array of the groups the identity provider last reported. */
  groups: Generated<string>;
}

/**
 * A machine subject that logs in with secrets of its own. Applications and service accounts have
 * the same columns, and admin/credential-subjects.ts writes both through one code path.
 */
interface MachineSubjectTable {
  id: string;
  tenant_id: number;
  name: string;
  client_id: string;
  enabled: number;
  tokens_valid_after: number;
  last_login: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** Machine credentials (`/api/v1/apps`). */
export type ApplicationTable = MachineSubjectTable;

/** Owner kinds of a secret; an owner may hold two secrets during a rotation. */
export type SecretOwnerType = 'app' | 'service-account' | 'access-key';

export interface CredentialSecretTable {
  id: string;
  tenant_id: number;
  owner_type: SecretOwnerType;
  owner_id: string;
  /** HMAC-SHA-256(pepper, secret), hex. The secret itself is never stored. */
  secret_hash: string;
  created_at: number;
  expires_at: number | null;
}

export interface ClusterTable {
  id: string;
  tenant_id: number;
  name: string;
  /** URL of the cluster's Cluster API. */
  domain: string | null;
  version: string | null;
  status: string | null;
  last_seen: number | null;
  secret_hash: string;
  /** Sealed under the master key: the install info shows it to administrators. */
  secret_enc: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface DepartmentTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  cluster_id: string | null;
  description: Generated<string | null>;
  /** JSON text: the spec's `Resources` array (quota per node pool). */
  resources: Generated<string>;
  updated_by: Generated<string | null>;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface ProjectTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  department_id: number | null;
  cluster_id: string | null;
  description: Generated<string | null>;
  /** JSON text: the spec's `Resources` array (quota per node pool). */
  resources: Generated<string>;
  updated_by: Generated<string | null>;
  requested_namespace: Generated<string | null>;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface AccessRuleTable {
  id: Generated<number>;
  tenant_id: number;
  subject_type: 'user' | 'app' | 'service-account' | 'group';
  subject_id: string;
  role_id: number;
  scope_type: 'system' | 'tenant' | 'cluster' | 'department' | 'project';
  scope_id: string;
  cluster_id: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface SigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: string;
  /** AES-256-GCM under the master key: base64(iv | tag | ciphertext of the PKCS#8 PEM). */
  private_key_enc: string;
  created_at: number;
  /** When it stopped being the signing key; null while it signs. */
  retired_at: number | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  tenant_id: number;
  timestamp: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  resource_name: string | null;
  result: 'success' | 'failure';
  reason: string | null;
  source_ip: string | null;
  details: string | null;
}

/** Machine identities with their own secrets (`/api/v1/service-accounts`). */
export type ServiceAccountTable = MachineSubjectTable;

/** A user's personal credentials (`/api/v1/access-keys`); they act with the user's permissions. */
export interface AccessKeyTable {
  id: string;
  tenant_id: number;
  user_id: string;
  name: string;
  client_id: string;
  tokens_valid_after: number;
  last_login: number | null;
  created_at: number;
}

/** One tenant setting; `value` is JSON text. */
export interface TenantSettingTable {
  tenant_id: number;
  key: string;
  value: string;
  updated_by: string;
  updated_at: number;
}

/** A refresh token (HMAC only); rotated on use, `family_id` ties a chain of rotations together. */
export interface RefreshTokenTable {
  id: string;
  token_hash: string;
  family_id: string;
  tenant_id: number;
  client_id: string;
  subject_type: string;
  subject_id: string;
  /** Space-separated granted scopes. */
  scope: string;
  /** The issuer the family was started under (canonical or a `/auth/realms/<realm>` variant). */
  issuer: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  /** Set when rotated: presenting it again is reuse and revokes the family. */
  used_at: number | null;
  revoked_at: number | null;
}

export interface AuthorizationCodeTable {
  code_hash: string;
  tenant_id: number;
  client_id: string;
  redirect_uri: string;
  user_id: string;
  scope: string;
  nonce: string | null;
  /** S256 challenge (base64url); null only for confidential clients that sent none. */
  code_challenge: string | null;
  issuer: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface DeviceCodeTable {
  device_code_hash: string;
  user_code: string;
  tenant_id: number;
  client_id: string;
  scope: string;
  issuer: string;
  status: 'pending' | 'approved' | 'denied' | 'used';
  user_id: string | null;
  auth_time: number | null;
  created_at: number;
  expires_at: number;
  last_poll_at: number | null;
}

export interface BrowserSessionTable {
  id_hash: string;
  tenant_id: number;
  user_id: string;
  auth_time: number;
  last_seen_at: number;
}

export interface RevokedTokenTable {
  jti: string;
  expires_at: number;
}

/** Brute-force counters shared by replicas: one row per (kind, account, address) or address. */
export interface AuthThrottleTable {
  key: string;
  failures: number;
  locked_until: number;
  updated_at: number;
}

/** The cluster change feed (feed/publish.ts): append-only, id is the cursor. */
export interface ChangeEventTable {
  id: Generated<number>;
  tenant_id: number | null;
  kind: string;
  /** The FeedChange as JSON. */
  payload: string;
  created_at: number;
}

/** An upstream identity provider of a tenant (`/api/v1/idps`). */
export interface IdentityProviderTable {
  tenant_id: number;
  alias: string;
  /** `oidc` (the only type served). */
  type: string;
  /** JSON: clientId, discoverDocumentUrl, scopes, mandatoryClaim. */
  config: string;
  /** JSON: the spec's Mappers (claim names). */
  mappers: string;
  /** The client secret sealed under the master key (AES-256-GCM). */
  client_secret_enc: string;
  created_at: number;
  updated_at: number;
}
