import { readFile } from 'node:fs/promises';
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { CliError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';

/** Keys of kubectl's `oidc` auth-provider config (plus our access token, which kubectl ignores). */
export interface OidcProviderConfig {
  'client-id'?: string;
  'idp-issuer-url'?: string;
  'id-token'?: string;
  'refresh-token'?: string;
  'auth-flow'?: string;
  /** The access token the CLI sends to Cluster APIs (ID tokens are for kube-apiservers). */
  'access-token'?: string;
  [key: string]: string | undefined;
}

/** Names created when the kubeconfig has no current context. */
export const DEFAULT_NAME = 'runai';

/** User fields that would compete with the auth-provider; removed when it is written. */
const COMPETING_USER_FIELDS = ['token', 'tokenFile', 'exec', 'username', 'password'];

/** A kubeconfig file, parsed with comments and order kept. */
export class Kubeconfig {
  readonly path: string;
  readonly doc: Document;

  private constructor(path: string, doc: Document) {
    this.path = path;
    this.doc = doc;
  }

  /**
   * Reads a kubeconfig; a missing or empty file gives an empty `kind: Config` document.
   *
   * @example
   * ```ts
   * const kc = await Kubeconfig.load('/home/me/.kube/config')
   * kc.authProvider()?.['id-token']
   * ```
   */
  static async load(path: string): Promise<Kubeconfig> {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new CliError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
      }
    }
    const doc = text.trim() ? parseDocument(text) : new Document({ apiVersion: 'v1', kind: 'Config' });
    if (doc.errors.length > 0) {
      throw new CliError(`kubeconfig ${path} is not valid YAML: ${doc.errors[0]?.message ?? ''}`.trim());
    }
    if (!isMap(doc.contents)) throw new CliError(`kubeconfig ${path} is not a YAML mapping`);
    return new Kubeconfig(path, doc);
  }

  /** The current context's name, if any. */
  currentContext(): string | undefined {
    const value = this.doc.get('current-context');
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  private named(section: string, name: string): YAMLMap | undefined {
    const seq = this.doc.get(section);
    if (!isSeq(seq)) return undefined;
    return seq.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === name);
  }

  private appendNamed(section: string, name: string, key: string, body: Record<string, unknown>): YAMLMap {
    let seq = this.doc.get(section);
    if (!isSeq(seq)) {
      seq = new YAMLSeq();
      this.doc.set(section, seq);
    }
    const node = this.doc.createNode({ name, [key]: body }) as YAMLMap;
    (seq as YAMLSeq).items.push(node);
    return node;
  }

  /** The name of the current context's user, if there is a current context naming one. */
  currentUserName(): string | undefined {
    const name = this.currentContext();
    if (!name) return undefined;
    const user = this.named('contexts', name)?.getIn(['context', 'user']);
    return typeof user === 'string' ? user : undefined;
  }

  /** The current context's cluster server URL, if any. */
  currentServer(): string | undefined {
    const name = this.currentContext();
    const cluster = name ? this.named('contexts', name)?.getIn(['context', 'cluster']) : undefined;
    const server =
      typeof cluster === 'string' ? this.named('clusters', cluster)?.getIn(['cluster', 'server']) : undefined;
    return typeof server === 'string' ? server : undefined;
  }

  /** The current user's `oidc` auth-provider config, if it has one. */
  authProvider(): OidcProviderConfig | undefined {
    const userName = this.currentUserName();
    const provider = userName ? this.named('users', userName)?.getIn(['user', 'auth-provider']) : undefined;
    if (!isMap(provider) || provider.get('name') !== 'oidc') return undefined;
    const config = provider.get('config');
    if (!isMap(config)) return {};
    const out: OidcProviderConfig = {};
    for (const pair of config.items) {
      const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
      const value = (pair.value as { value?: unknown } | null)?.value;
      if (typeof value === 'string') out[key] = value;
    }
    return out;
  }

  /**
   * Makes sure there is a current context with a user and returns the user's name. When there is no
   * current context, creates cluster, user and context named `runai` (the cluster's server is
   * `server`) and makes it current; a current context whose user entry is missing gets one.
   */
  ensureCurrentUser(server: string | undefined): string {
    let contextName = this.currentContext();
    if (!contextName) {
      contextName = DEFAULT_NAME;
      if (!this.named('clusters', DEFAULT_NAME)) {
        this.appendNamed('clusters', DEFAULT_NAME, 'cluster', { server: server ?? 'https://127.0.0.1' });
      }
      if (!this.named('contexts', DEFAULT_NAME)) {
        this.appendNamed('contexts', DEFAULT_NAME, 'context', { cluster: DEFAULT_NAME, user: DEFAULT_NAME });
      }
      this.doc.set('current-context', DEFAULT_NAME);
    }
    let context = this.named('contexts', contextName);
    if (!context)
      context = this.appendNamed('contexts', contextName, 'context', {
        cluster: DEFAULT_NAME,
        user: DEFAULT_NAME,
      });
    let userName = context.getIn(['context', 'user']);
    if (typeof userName !== 'string' || userName === '') {
      userName = DEFAULT_NAME;
      context.setIn(['context', 'user'], userName);
    }
    const clusterName = context.getIn(['context', 'cluster']);
    if (typeof clusterName === 'string' && !this.named('clusters', clusterName)) {
      this.appendNamed('clusters', clusterName, 'cluster', { server: server ?? 'https://127.0.0.1' });
    }
    if (!this.named('users', userName as string)) this.appendNamed('users', userName as string, 'user', {});
    return userName as string;
  }

  /**
   * Writes the current user's `oidc` auth-provider: keys in `values` are set in place (order and
   * comments of the entry kept), keys set to `undefined` are removed. Nothing else changes.
   *
   * @example
   * ```ts
   * kc.setAuthProvider({ 'client-id': 'runai', 'idp-issuer-url': url, 'id-token': t }, server)
   * await kc.save()
   * ```
   */
  setAuthProvider(values: OidcProviderConfig, server?: string): void {
    const userName = this.ensureCurrentUser(server);
    const entry = this.named('users', userName) as YAMLMap;
    let user = entry.get('user');
    if (!isMap(user)) {
      user = this.doc.createNode({});
      entry.set('user', user);
    }
    const userMap = user as YAMLMap;
    // The entry being written is laid out as a block (a `user: {}` flow map would fold tokens).
    userMap.flow = false;
    for (const field of COMPETING_USER_FIELDS) userMap.delete(field);
    let provider = userMap.get('auth-provider');
    if (!isMap(provider) || provider.get('name') !== 'oidc') {
      provider = this.doc.createNode({ name: 'oidc', config: {} });
      userMap.set('auth-provider', provider);
    }
    let config = (provider as YAMLMap).get('config');
    if (!isMap(config)) {
      config = this.doc.createNode({});
      (provider as YAMLMap).set('config', config);
    }
    (provider as YAMLMap).flow = false;
    (config as YAMLMap).flow = false;
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) (config as YAMLMap).delete(key);
      else (config as YAMLMap).set(key, value);
    }
  }

  /** Points the cluster of the current context at `server` (creating the entries when absent). */
  setServer(server: string): void {
    this.ensureCurrentUser(server);
    const context = this.named('contexts', this.currentContext() as string) as YAMLMap;
    const clusterName = context.getIn(['context', 'cluster']) as string;
    (this.named('clusters', clusterName) as YAMLMap).setIn(['cluster', 'server'], server);
  }

  /** The file's text as it would be written. */
  toString(): string {
    return this.doc.toString();
  }

  /** Writes the file atomically with mode 0600. */
  async save(): Promise<void> {
    await writeFileAtomic(this.path, this.toString());
  }
}
