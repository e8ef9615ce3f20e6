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
  change_events: ChangeEventTable;
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
}

export interface ApplicationTable {
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
export interface ServiceAccountTable {
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

/** The cluster change feed (feed/publish.ts): append-only, id is the cursor. */
export interface ChangeEventTable {
  id: Generated<number>;
  tenant_id: number | null;
  kind: string;
  /** The FeedChange as JSON. */
  payload: string;
  created_at: number;
}
