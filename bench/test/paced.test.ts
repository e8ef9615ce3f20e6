import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { measurePaced } from '../src/paced.js';

describe('paced load', () => {
  it('replaces sockets the server closed while idle, losing no request', async () => {
    let n = 0;
    const server = createServer((req, res) => {
      req.resume();
      // Two slow answers, 1.75 s apart: each makes the next requests spill onto more sockets, and
      // the second finds those the first woke closed by the server meanwhile.
      const delay = ++n === 10 || n === 80 ? 300 : 0;
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-length': 2 }).end('ok'), delay));
    });
    // node:http closes a keep-alive socket idle for keepAliveTimeout plus a second.
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const m = await measurePaced(
        `http://127.0.0.1:${port}`,
        { method: 'POST', path: '/', body: '{}' },
        { rate: 40, durationSec: 2.5, connections: 8 },
      );
      assert.equal(m.errors, 0);
      assert.equal(m.requests, 100);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
