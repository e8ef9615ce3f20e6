import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { openDirect } from '../helpers/direct-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';

/** A v1 password grant from loopback address `from`, claiming to forward for `forwardedFor`. */
function passwordGrant(base: string, from: string, forwardedFor: string, password: string): Promise<number> {
  const url = new URL('/api/v1/token', base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ grantType: 'password', username: ADMIN_EMAIL, password }));
  });
}

async function failureSources(server: ServerProcess): Promise<string[]> {
  const store = openDirect(server.db);
  try {
    const rows = await store.db
      .selectFrom('audit_events')
      .select('source_ip')
      .where('action', '=', 'token.grant')
      .where('result', '=', 'failure')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.source_ip ?? '');
  } finally {
    await store.close();
  }
}

// Not a store test: which address counts as the client is decided by the HTTP layer, before any store.
describe('TESSERA_TRUST_PROXY', () => {
  describe('unset', () => {
    let server: ServerProcess;
    before(async () => {
      server = await startServerProcess('sqlite', { TESSERA_LOCKOUT_THRESHOLD: '2' });
    });
    after(async () => server?.dispose());

    it('ignores X-Forwarded-For: a client cannot choose its throttle key or its audited address', async () => {
      assert.equal(await passwordGrant(server.url, '127.0.0.1', '203.0.113.1', 'wrong-1'), 401);
      assert.equal(await passwordGrant(server.url, '127.0.0.1', '203.0.113.1', 'wrong-2'), 401);
      assert.equal(await passwordGrant(server.url, '127.0.0.1', '203.0.113.2', ADMIN_PASSWORD), 429);
      assert.deepEqual(await failureSources(server), ['127.0.0.1', '127.0.0.1']);
    });
  });

  describe('set to the proxy 127.0.0.1', () => {
    let server: ServerProcess;
    before(async () => {
      server = await startServerProcess('sqlite', {
        TESSERA_LOCKOUT_THRESHOLD: '2',
        TESSERA_TRUST_PROXY: '127.0.0.1',
      });
    });
    after(async () => server?.dispose());

    it('keys throttling and the audit log on the forwarded client; other sockets are not believed', async () => {
      assert.equal(await passwordGrant(server.url, '127.0.0.1', '203.0.113.1', 'wrong-1'), 401);
      assert.equal(await passwordGrant(server.url, '127.0.0.1', '203.0.113.1', 'wrong-2'), 401);
      assert.equal(await passwordGrant(server.url, '127.0.0.1', '203.0.113.1', ADMIN_PASSWORD), 429);
      // Another client behind the same proxy is not locked out by the first one's failures.
      assert.equal(await passwordGrant(server.url, '127.0.0.1', '203.0.113.2', ADMIN_PASSWORD), 200);
      // 127.0.0.2 is not a trusted proxy: its header is ignored and it is the client.
      assert.equal(await passwordGrant(server.url, '127.0.0.2', '203.0.113.9', 'wrong-3'), 401);
      assert.deepEqual(await failureSources(server), ['203.0.113.1', '203.0.113.1', '127.0.0.2']);
    });
  });
});
