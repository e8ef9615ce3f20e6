import type { FeedChangesResponse, FeedSnapshot } from './wire.js';
import type { SyncedState } from './state.js';

/** Options for {@link startFeedSync}. */
export interface FeedSyncOptions {
  /** Base URL of the control plane, e.g. `https://tessera.example`. */
  controlPlaneUrl: string;
  /** The cluster's credentials from its install info (client id = cluster UUID). */
  clientId: string;
  clientSecret: string;
  /** Reported to the control plane as the cluster's version. */
  version?: string;
  state: SyncedState;
  /** Called when the control plane says its signing keys changed. */
  onKeysChanged?: () => void | Promise<void>;
  /** Connection events, for logs and readiness. */
  onEvent?: (event: { type: 'synced' | 'connected' | 'disconnected'; error?: string }) => void;
  /** How long one long-poll may wait on the control plane, in ms. Default 20 000. */
  waitMs?: number;
}

/** A running feed sync made by {@link startFeedSync}. */
export interface FeedSync {
  /** Resolves after the first snapshot has been applied. */
  readonly ready: Promise<void>;
  /** Is the control plane reachable right now (last request succeeded)? */
  connected(): boolean;
  stop(): void;
}

/**
 * Keeps `state` in step with the control plane: authenticates with `client_credentials`, takes a
 * snapshot, then long-polls `GET /api/v1/cluster-feed/changes` with its cursor. A gap (the control
 * plane answers `resync`) or a change it cannot apply as a delta triggers a fresh snapshot. Network
 * errors mark the sync disconnected and retry with backoff (0.25 s doubling to 4 s), without restart.
 *
 * @example
 * ```ts
 * const state = new SyncedState()
 * const sync = startFeedSync({ controlPlaneUrl, clientId, clientSecret, state })
 * await sync.ready
 * ```
 */
export function startFeedSync(options: FeedSyncOptions): FeedSync {
  const base = options.controlPlaneUrl.replace(/\/+$/, '');
  const abort = new AbortController();
  const waitMs = options.waitMs ?? 20_000;
  let token: { value: string; expiresAt: number } | undefined;
  let isConnected = false;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt - 60_000 > Date.now()) return token.value;
    const res = await fetch(`${base}/api/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grantType: 'client_credentials',
        clientID: options.clientId,
        clientSecret: options.clientSecret,
      }),
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(10_000)]),
    });
    if (res.status !== 200) throw new Error(`cluster login refused: HTTP ${res.status}`);
    const body = (await res.json()) as { accessToken: string; expiresIn: number };
    token = { value: body.accessToken, expiresAt: Date.now() + body.expiresIn * 1000 };
    return token.value;
  }

  async function get<T>(path: string, timeoutMs: number): Promise<T> {
    const res = await fetch(base + path, {
      headers: {
        authorization: `Bearer ${await accessToken()}`,
        'x-tessera-cluster-version': options.version ?? 'unknown',
      },
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
    });
    if (res.status === 401) token = undefined;
    if (res.status !== 200) throw new Error(`${path.split('?')[0]}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  async function resync(): Promise<void> {
    options.state.applySnapshot(await get<FeedSnapshot>('/api/v1/cluster-feed/snapshot', 15_000));
    // Keys may have rotated while we were away: have them before saying we are synced, or a token
    // with the new kid could meet the old key set (and the JWKS refetch cooldown) and be refused.
    await options.onKeysChanged?.();
    options.onEvent?.({ type: 'synced' });
    resolveReady();
  }

  async function poll(): Promise<void> {
    const page = await get<FeedChangesResponse>(
      `/api/v1/cluster-feed/changes?after=${options.state.cursor}&waitMs=${waitMs}`,
      waitMs + 10_000,
    );
    if (page.resync) return resync();
    for (const change of page.changes) {
      if (!options.state.applyChange(change)) return resync();
      if (change.kind === 'keys') await options.onKeysChanged?.();
      options.state.cursor = change.cursor;
    }
    options.state.cursor = Math.max(options.state.cursor, page.cursor);
  }

  void (async () => {
    let backoff = 250;
    let needSnapshot = true;
    while (!abort.signal.aborted) {
      try {
        if (needSnapshot) await resync();
        needSnapshot = false;
        if (!isConnected) options.onEvent?.({ type: 'connected' });
        isConnected = true;
        backoff = 250;
        await poll();
      } catch (err) {
        if (abort.signal.aborted) break;
        if (isConnected) options.onEvent?.({ type: 'disconnected', error: reasonOf(err) });
        isConnected = false;
        // After an outage, start from a fresh snapshot: the feed may have been trimmed meanwhile.
        needSnapshot = true;
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 4_000);
      }
    }
  })();

  return {
    ready,
    connected: () => isConnected,
    stop: () => abort.abort(),
  };
}

/**
 * An error's message with its cause's: `fetch` says only "fetch failed" and keeps the reason (a
 * refused connection, a reset, a DNS failure) in `cause`, which is what an operator reading the
 * cluster's log needs.
 */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ? `${message}: ${cause}` : message;
}
