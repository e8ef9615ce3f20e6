/** Shapes of the Run:ai API as Tessera serves them (see the server's `/api/docs/json`). */

export type SubjectType = 'user' | 'app' | 'service-account' | 'group';
export type ScopeType = 'system' | 'tenant' | 'cluster' | 'department' | 'project';

export interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  idToken?: string;
  refreshToken?: string;
}

export interface Application {
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

export interface ApplicationCreated {
  id: string;
  name: string;
  clientId: string;
  /** Shown once. Store it now: it cannot be read again, only regenerated. */
  secret: string;
}

export interface ApplicationCreationRequest {
  name: string;
  /** The seed's view: `researcher`, `editor`, `admin`, … */
  roles?: string[];
  /** Projects (ids or names) for Researcher-like roles. */
  projects?: (string | number)[];
}

export interface RolePermission {
  resourceType: string;
  displayName: string;
  groupId: string;
  actions: string[];
}

export interface Role {
  id: number;
  name: string;
  description: string;
  permissions: RolePermission[];
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  custom: boolean;
  effectiveEnabled: boolean;
  enabled: boolean;
}

export interface AccessRuleCreationFields {
  subjectId: string;
  subjectType: SubjectType;
  roleId: number;
  scopeId: string;
  scopeType: ScopeType;
  clusterId?: string;
}

export interface AccessRule extends AccessRuleCreationFields {
  id: number;
  roleName: string;
  scopeName: string;
  tenantId: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AccessRuleList {
  totalRecords: number;
  displayRecords: number;
  accessRules: AccessRule[];
}

export interface AccessRuleQuery {
  subjectType?: SubjectType;
  subjectIds?: string[];
  scopeType?: ScopeType;
  scopeId?: string;
  roleId?: number;
  limit?: number;
  offset?: number;
}

/** Run:ai's error body. */
export interface ErrorBody {
  code: number;
  message: string;
  details?: string;
}
