import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, rssMb, startChild } from '../proc.js';
import { PEER_CLIENT_ID, PEER_CLIENT_SECRET } from '../scenarios/peer.js';

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));
const BENCH = fileURLToPath(new URL('../../', import.meta.url));

/** The reference servers: the limit signing with jose, the limit signing with node:crypto, the peer. */
export type ReferenceName = 'limit' | 'limit-node' | 'peer';

/** A reference server (limit or peer) running as its own process, like Tessera. */
export interface ChildTarget {
  url: string;
  pid: number;
  idleRssMb: number;
  stop(): Promise<void>;
}

/**
 * Starts `servers/<name>-server.ts` as a child process on a free loopback port.
 *
 * @example
 * ```ts
 * const limit = await startReference('limit')
 * ```
 */
export async function startReference(name: ReferenceName): Promise<ChildTarget> {
  const dir = mkdtempSync(join(tmpdir(), `tessera-bench-${name}-`));
  const file = name === 'peer' ? 'peer-server.ts' : 'limit-server.ts';
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild(
    ['--import', 'tsx', join(SERVERS, file)],
    {
      PORT: String(port),
      NODE_ENV: 'production',
      PEER_CLIENT_ID,
      PEER_CLIENT_SECRET,
      ...(name === 'limit-node' ? { LIMIT_SIGNER: 'node' } : {}),
    },
    url,
    name === 'peer' ? '/.well-known/openid-configuration' : '/',
    join(dir, 'server.log'),
    BENCH,
  );
  return {
    url,
    pid: child.pid,
    idleRssMb: rssMb(child.pid),
    stop: async () => {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
