import type * as T from './admin-types.js';

type Request = <R>(method: string, path: string, body?: unknown) => Promise<R>;

/** `?a=1&filterBy=x&filterBy=y` from an object; arrays repeat the key, undefined is left out. */
export function queryString(query: object = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

const id = (value: string | number) => encodeURIComponent(String(value));

/**
 * The Administrator API operations (org units, clusters, users, service accounts, access keys,
 * authorization reads, settings, identity providers, audit log), bound to a request function.
 *
 * @example
 * ```ts
 * const api = adminApi((m, p, b) => client.request(m, p, b))
 * const { projects, next } = await api.projects.list({ filterBy: ['name=@team'], limit: 100 })
 * ```
 */
export function adminApi(request: Request) {
  const orgUnit = <Unit, Create, Update>(kind: 'departments' | 'projects') => {
    const base = `/api/v1/org-unit/${kind}`;
    return {
      list: (query?: T.ListQuery) =>
        request<Record<typeof kind, Unit[]> & { next?: number }>('GET', base + queryString(query)),
      count: (query?: Pick<T.ListQuery, 'filterBy' | 'search'>) =>
        request<{ count: number }>('GET', `${base}/count${queryString(query)}`),
      create: (body: Create) => request<Unit>('POST', base, body),
      get: (unitId: string) => request<Unit>('GET', `${base}/${id(unitId)}`),
      update: (unitId: string, body: Update) => request<Unit>('PUT', `${base}/${id(unitId)}`, body),
      delete: (unitId: string) => request<void>('DELETE', `${base}/${id(unitId)}`),
      setResources: (unitId: string, resources: T.ResourceItem[]) =>
        request<T.ResourceItem[]>('PUT', `${base}/${id(unitId)}/resources`, resources),
      patchResources: (unitId: string, resources: T.ResourceItem[]) =>
        request<T.ResourceItem[]>('PATCH', `${base}/${id(unitId)}/resources`, resources),
    };
  };
  return {
    departments: orgUnit<
      T.Department,
      T.DepartmentCreationRequest,
      { description?: string; resources?: T.ResourceItem[] }
    >('departments'),
    projects: orgUnit<
      T.Project,
      T.ProjectCreationRequest,
      { description?: string; resources: T.ResourceItem[] }
    >('projects'),
    clusters: {
      list: () => request<T.Cluster[]>('GET', '/api/v1/clusters'),
      create: (body: { name: string; domain?: string; version?: string }) =>
        request<T.Cluster>('POST', '/api/v1/clusters', body),
      get: (uuid: string) => request<T.Cluster>('GET', `/api/v1/clusters/${id(uuid)}`),
      update: (uuid: string, body: { name: string; domain?: string }) =>
        request<void>('PUT', `/api/v1/clusters/${id(uuid)}`, body),
      delete: (uuid: string) => request<void>('DELETE', `/api/v1/clusters/${id(uuid)}`),
      installInfo: (uuid: string) =>
        request<T.ClusterInstallInfo>('GET', `/api/v1/clusters/${id(uuid)}/cluster-install-info`),
    },
    users: {
      list: (query?: T.ListQuery) => request<T.User[]>('GET', `/api/v1/users${queryString(query)}`),
      count: (query?: Pick<T.ListQuery, 'filterBy' | 'search'>) =>
        request<{ count: number }>('GET', `/api/v1/users/count${queryString(query)}`),
      create: (email: string) =>
        request<{ id: string; username: string; tempPassword: string }>('POST', '/api/v1/users', { email }),
      get: (userId: string) => request<T.User>('GET', `/api/v1/users/${id(userId)}`),
      delete: (userId: string) => request<void>('DELETE', `/api/v1/users/${id(userId)}`),
      resetPassword: (userId: string) =>
        request<{ tempPassword: string }>('POST', `/api/v1/users/${id(userId)}/password`),
      logout: (userId: string) => request<void>('POST', `/api/v1/users/${id(userId)}/logout`),
    },
    me: {
      changePassword: (currentPassword: string, newPassword: string) =>
        request<object>('POST', '/api/v1/me/password', { currentPassword, newPassword }),
      accessRules: (query?: { limit?: number; offset?: number }) =>
        request<T.MyAccessRules>('GET', `/api/v1/authorization/me/access-rules${queryString(query)}`),
      countAccessRules: () =>
        request<{ count: number }>('GET', '/api/v1/authorization/me/access-rules/count'),
      permissions: () => request<T.Permission[]>('GET', '/api/v1/authorization/permissions'),
      permittedScopes: (resourceType: string) =>
        request<Record<'create' | 'read' | 'update' | 'delete', T.PermittedScopes>>(
          'POST',
          '/api/v1/authorization/permitted-scopes',
          { resourceType },
        ),
    },
    serviceAccounts: {
      list: () => request<T.ServiceAccount[]>('GET', '/api/v1/service-accounts'),
      create: (name: string) =>
        request<{ id: string; name: string; clientId: string; clientSecret: string }>(
          'POST',
          '/api/v1/service-accounts',
          { name },
        ),
      get: (saId: string) => request<T.ServiceAccount>('GET', `/api/v1/service-accounts/${id(saId)}`),
      setEnabled: (saId: string, enabled: boolean) =>
        request<void>('PATCH', `/api/v1/service-accounts/${id(saId)}`, { enabled }),
      delete: (saId: string) => request<void>('DELETE', `/api/v1/service-accounts/${id(saId)}`),
      regenerateSecret: (saId: string, options?: T.RotationOptions) =>
        request<{ clientSecret: string }>(
          'POST',
          `/api/v1/service-accounts/${id(saId)}/secret${queryString(options)}`,
        ),
    },
    accessKeys: {
      list: () => request<{ accessKeys: T.AccessKey[] }>('GET', '/api/v1/access-keys'),
      create: (name: string) =>
        request<T.AccessKey & { clientSecret: string }>('POST', '/api/v1/access-keys', { name }),
      get: (keyId: string) => request<T.AccessKey>('GET', `/api/v1/access-keys/${id(keyId)}`),
      delete: (keyId: string) => request<void>('DELETE', `/api/v1/access-keys/${id(keyId)}`),
      regenerateSecret: (keyId: string, options?: T.RotationOptions) =>
        request<{ clientSecret: string }>(
          'POST',
          `/api/v1/access-keys/${id(keyId)}/secret${queryString(options)}`,
        ),
    },
    settings: {
      list: () => request<T.TenantSetting[]>('GET', '/v1/k8s/setting'),
      get: (key: string) => request<unknown>('GET', `/v1/k8s/setting/${id(key)}`),
      set: (key: string, value: unknown) =>
        request<{ msg: string }>('PUT', '/v1/k8s/setting', { key, value }),
      security: () => request<T.SecuritySettings>('GET', '/api/v1/security/settings'),
      securityKey: <K extends keyof T.SecuritySettings>(key: K) =>
        request<T.SecuritySettings[K]>('GET', `/api/v1/security/settings/${key}`),
      setSecurity: <K extends keyof T.SecuritySettings>(key: K, value: T.SecuritySettings[K]) =>
        request<void>('PUT', `/api/v1/security/settings/${key}`, value),
    },
    idps: {
      list: () => request<T.Idp[]>('GET', '/api/v1/idps'),
      create: (body: T.IdpCreationRequest) => request<{ alias: string }>('POST', '/api/v1/idps', body),
      get: (alias: string) => request<T.Idp>('GET', `/api/v1/idps/${id(alias)}`),
      update: (alias: string, body: T.IdpCreationRequest) =>
        request<void>('PUT', `/api/v1/idps/${id(alias)}`, body),
      delete: (alias: string) => request<void>('DELETE', `/api/v1/idps/${id(alias)}`),
      mappers: (alias: string) => request<T.IdpMappers>('GET', `/api/v1/idps/${id(alias)}/mappers`),
      setMappers: (alias: string, mappers: T.IdpMappers) =>
        request<void>('PUT', `/api/v1/idps/${id(alias)}/mappers`, mappers),
    },
    audit: {
      log: (query: T.AuditLogQuery) =>
        request<{ total: number; next?: number; audit_logs: T.AuditLogEntry[] }>(
          'GET',
          `/api/v1/audit/log${queryString(query)}`,
        ),
    },
  };
}

/** The operations {@link adminApi} returns. */
export type AdminApi = ReturnType<typeof adminApi>;
