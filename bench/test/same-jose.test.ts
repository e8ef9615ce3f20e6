import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

// The limit must sign with the very jose the server signs with. oidc-provider 8 (the peer) brings
// jose 5; once npm hoisted that copy into bench/node_modules and the limit silently used it.
describe('bench: the limit server and the control plane load the same jose', () => {
  it('resolves jose to one file from both', () => {
    const fromLimit = createRequire(new URL('../src/servers/limit-server.ts', import.meta.url)).resolve(
      'jose',
    );
    const fromServer = createRequire(
      new URL('../../packages/server/src/token/mint.ts', import.meta.url),
    ).resolve('jose');
    assert.equal(fromLimit, fromServer);
  });
});
