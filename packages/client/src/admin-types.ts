import type { AccessRule } from './types.js';

/** Shapes of the Administrator API (Run:ai 2.24 spec names). */

/** One node pool's quota. */
export interface ResourceItem {
  nodePool?: { id: string; name?: string };
  gpu?: { deserved?: number | null; limit?: number | null; overQuotaWeight?: number | null };
  cpu?: { deserved?: number | null; limit?: number | null; overQuotaWeight?: number | null };
  memory?: {
    deserved?: number | null;
    limit?: number | null;
    overQuotaWeight?: number | null;
    units: 'Mib' | 'MB' | 'GB';
  };
  priority?: string | null;
}

export interface OrgUnitBase {
  id: string;
  name: string;
  clusterId: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  totalResources: { gpuQuota: number | null; cpuQuota: number | null; memoryQuota: number | null };
  resources: ResourceItem[];
}
export type Department = OrgUnitBase;
export interface Project extends OrgUnitBase {
  parentId: string;
  requestedNamespace: string | null;
  enforceRunaiScheduler: boolean;
  status: { phase: string; namespace: string | null };
}
export interface DepartmentCreationRequest {
  name: string;
  clusterId: string;
  description?: string;
  resources?: ResourceItem[];
}
export interface ProjectCreationRequest {
  name: string;
  clusterId: string;
  parentId: string;
  description?: string;
  requestedNamespace?: string;
  resources: ResourceItem[];
}

/** `filterBy` (e.g. `name=@team`), `sortBy`, `sortOrder`, `offset`, `limit` (≤ 500). */
export interface ListQuery {
  filterBy?: string[];
  sortBy?: string;
  sortOrder?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  search?: string;
}

export interface Cluster {
  uuid: string;
  tenantId: number;
  name: string;
  createdAt: string;
  domain: string | null;
  version: string | null;
  status: { state: string };
  updatedAt: string | null;
  lastLiveness: string | null;
}
export interface ClusterInstallInfo {
  installationStr: string;
  repositoryName: string;
  chartRepoURL: string;
  clientSecret: string;
  clientId: string;
  issuer: string;
  jwksUrl: string;
}

export interface User {
  id: string;
  username: string;
  createdBy: string;
  createdAt: string | null;
  updatedAt: string | null;
  lastLogin: string | null;
  isLocal: boolean;
  groups: string[];
}

export interface ServiceAccount {
  id: string;
  name: string;
  clientId: string;
  enabled: boolean;
  tenantId: string;
  createdBy: string;
  createdAt: string | null;
  updatedAt: string | null;
  lastLogin: string | null;
}
export interface AccessKey {
  id: string;
  name: string;
  clientId: string;
  createdAt: string | null;
  lastLogin: string | null;
}
/** Options of a secret regeneration: how long the previous secret keeps working, and the new one's expiry. */
export interface RotationOptions {
  overlapSeconds?: number;
  expiresInSeconds?: number;
}

export interface Permission {
  resourceType: string;
  displayName: string;
  groupId: string;
  actions: string[];
}
export interface PermittedScopes {
  system: boolean;
  tenants: string[];
  clusters: string[];
  departments: string[];
  projects: string[];
}
export interface MyAccessRules {
  accessRules: { totalRecords: number; displayRecords: number; accessRules: AccessRule[] };
}

export interface TenantSetting {
  key: string;
  value: string;
  label: string;
  category: string;
  description: string;
  type: string;
  source: string;
  stage: string;
  active: boolean;
}
export interface SecuritySettings {
  autoRedirectSSO: { enabled: boolean; idpAlias: string | null };
  browserSessionTimeout: { idleTimeout: number | null };
  logoutRedirectUri: { uri: string | null };
}

export interface AuditLogEntry {
  timestamp: string;
  tenant_id: string;
  subject: string;
  subject_type: string;
  source_ip?: string;
  action: string;
  entity_type: string;
  entity_name: string;
  entity_id: string;
  result: 'Succeeded' | 'Failed';
  metadata: Record<string, string>;
}
export interface AuditLogQuery {
  start: string;
  end: string;
  offset?: number;
  numberOfSamples?: number;
  sortOrder?: 'asc' | 'desc';
  sortBy?: string;
  filterBy?: string[];
}

/** The spec's `Mappers`: which upstream claim gives each attribute (answers carry `alias`). */
export interface IdpMappers {
  alias?: string;
  gid?: string;
  uid?: string;
  groups?: string;
  supplementaryGroups?: string;
  email?: string;
}

/** The spec's `MandatoryClaim`: sign-in needs `claim` to hold one of `values`. */
export interface IdpMandatoryClaim {
  claim: string;
  values: string[];
}

/** An identity provider as `GET /api/v1/idps` answers it (the client secret masked as `*******`). */
export interface Idp {
  alias: string;
  type: 'oidc';
  /** The broker callback to register at the upstream provider. */
  redirectUri: string;
  oidcData: {
    clientId: string;
    clientSecret: string;
    discoverDocumentUrl: string;
    scopes: string[];
    mandatoryClaim?: IdpMandatoryClaim;
  };
  mappers: IdpMappers;
}

/** The spec's `IdpCreationRequest` (only `oidc` is served; `name` is the alias, default `oidc`). */
export interface IdpCreationRequest {
  type: 'oidc' | 'saml' | 'openshift-v4';
  name?: string;
  oidcData: {
    clientId: string;
    /** Omit (or send `*******`) on update to keep the stored secret. */
    clientSecret?: string;
    /** The discovery document's URL, or the issuer URL. */
    discoverDocumentUrl: string;
    scopes?: string[];
    mandatoryClaim?: IdpMandatoryClaim | null;
  };
  mappers?: IdpMappers;
}
