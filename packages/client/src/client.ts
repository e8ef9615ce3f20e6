import type {
  AccessRule,
  AccessRuleCreationFields,
  AccessRuleList,
  AccessRuleQuery,
  Application,
  ApplicationCreated,
  ApplicationCreationRequest,
  ErrorBody,
  Role,
  TokenResponse,
} from './types.js';
import { adminApi } from './admin.js';

/** Options for {@link TesseraClient}. */
export interface TesseraClientOptions {
  /** The control plane's URL, e.g. `https://tessera.example.com`. */
  baseUrl: string;
  /** A bearer token, or a function returning one (called before every request). */
  token?: string | (() => string | Promise<string>);
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
}

/**
 * An API error: the HTTP status and Run:ai's error body.
 *
 * @example
 * ```ts
 * try { await client.apps.get(id) } catch (err) {
 *   if (err instanceof TesseraApiError && err.status === 404) console.log('gone')
 * }
 * ```
 */
export class TesseraApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody | undefined;
  constructor(status: number, body: ErrorBody | undefined) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'TesseraApiError';
    this.status = status;
    this.body = body;
  }
}

/**
 * A typed client for Tessera's Run:ai-compatible API.
 *
 * @example
 * ```ts
 * const anon = new TesseraClient({ baseUrl: 'http://127.0.0.1:8080' })
 * const { accessToken } = await anon.token.appToken('ci-bot', process.env.SECRET!)
 * const client = new TesseraClient({ baseUrl: 'http://127.0.0.1:8080', token: accessToken })
 * const apps = await client.apps.list()
 * ```
 */
export class TesseraClient {
  readonly #options: TesseraClientOptions;

  constructor(options: TesseraClientOptions) {
    this.#options = Object.assign({}, options, { baseUrl: options.baseUrl.replace(/\/+$/, '') });
  }

  /** Sends a request and decodes the JSON answer; throws {@link TesseraApiError} on 4xx/5xx. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token =
      typeof this.#options.token === 'function' ? await this.#options.token() : this.#options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await (this.#options.fetch ?? fetch)(this.#options.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new TesseraApiError(res.status, parsed as ErrorBody | undefined);
    return parsed as T;
  }

  /** `POST /api/v1/token`. */
  readonly token = {
    /** The seed's flow: an Application's name (or client id) and secret. */
    appToken: (appId: string, appSecret: string) =>
      this.request<TokenResponse>('POST', '/api/v1/token', {
        grantType: 'app_token',
        AppId: appId,
        AppSecret: appSecret,
      }),
    clientCredentials: (clientId: string, clientSecret: string) =>
      this.request<TokenResponse>('POST', '/api/v1/token', {
        grantType: 'client_credentials',
        clientID: clientId,
        clientSecret,
      }),
    password: (username: string, password: string) =>
      this.request<TokenResponse>('POST', '/api/v1/token', { grantType: 'password', username, password }),
    /** A token from one of the tenant's identity providers (an ID token whose audience is its client id). */
    externalToken: (externalToken: string) =>
      this.request<TokenResponse>('POST', '/api/v1/token', {
        grantType: 'external_token_exchange',
        externalToken,
      }),
  };

  /** `/api/v1/apps`. */
  readonly apps = {
    list: () => this.request<Application[]>('GET', '/api/v1/apps'),
    create: (body: ApplicationCreationRequest) =>
      this.request<ApplicationCreated>('POST', '/api/v1/apps', body),
    get: (id: string) => this.request<Application>('GET', `/api/v1/apps/${encodeURIComponent(id)}`),
    setEnabled: (id: string, enabled: boolean) =>
      this.request<Application>('PATCH', `/api/v1/apps/${encodeURIComponent(id)}`, { enabled }),
    delete: (id: string) => this.request<void>('DELETE', `/api/v1/apps/${encodeURIComponent(id)}`),
    regenerateSecret: (id: string) =>
      this.request<{ secret: string }>('POST', `/api/v1/apps/${encodeURIComponent(id)}/secret`),
  };

  /** `/api/v1/authorization/roles`. */
  readonly roles = {
    list: () => this.request<Role[]>('GET', '/api/v1/authorization/roles'),
    get: (id: number) => this.request<Role>('GET', `/api/v1/authorization/roles/${id}`),
  };

  /** `/api/v1/authorization/access-rules`. */
  readonly accessRules = {
    create: (body: AccessRuleCreationFields) =>
      this.request<AccessRule>('POST', '/api/v1/authorization/access-rules', body),
    list: (query: AccessRuleQuery = {}) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) params.set(key, Array.isArray(value) ? value.join(',') : String(value));
      }
      const qs = params.toString();
      return this.request<AccessRuleList>('GET', `/api/v1/authorization/access-rules${qs ? `?${qs}` : ''}`);
    },
    get: (id: number) => this.request<AccessRule>('GET', `/api/v1/authorization/access-rules/${id}`),
    count: () => this.request<{ count: number }>('GET', '/api/v1/authorization/access-rules/count'),
    delete: (id: number) => this.request<void>('DELETE', `/api/v1/authorization/access-rules/${id}`),
  };

  // The Administrator API (issue #3): org units, clusters, users, service accounts, access keys,
  // authorization reads, settings, identity providers and the audit log.
  readonly #admin = adminApi((method, path, body) => this.request(method, path, body));
  readonly departments = this.#admin.departments;
  readonly projects = this.#admin.projects;
  readonly clusters = this.#admin.clusters;
  readonly users = this.#admin.users;
  readonly me = this.#admin.me;
  readonly serviceAccounts = this.#admin.serviceAccounts;
  readonly accessKeys = this.#admin.accessKeys;
  readonly settings = this.#admin.settings;
  readonly idps = this.#admin.idps;
  readonly audit = this.#admin.audit;
}
