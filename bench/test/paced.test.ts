import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { measurePaced } from '../src/paced.js';

/** Paces `rate` POSTs a second for 2.5 s over 8 sockets at `server`, then closes it. */
async function pacedAgainst(server: Server, rate: number) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await measurePaced(
      `http://127.0.0.1:${port}`,
      { method: 'POST', path: '/', body: '{}' },
      { rate, durationSec: 2.5, connections: 8 },
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

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
    const m = await pacedAgainst(server, 40);
    assert.equal(m.errors, 0);
    assert.equal(m.requests, 100);
  });

  it('spreads the requests over every socket, so that none sits idle long enough to be closed', async () => {
    const sockets = new Set<number>();
    let closedIdle = 0;
    const server = createServer((req, res) => {
      sockets.add(req.socket.remotePort ?? 0);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-length': 2 }).end('ok'));
    });
    // Closed after about a second idle: at 100 a second over 8 sockets each is used every ~80 ms.
    server.keepAliveTimeout = 1;
    server.on('connection', (socket) => socket.on('close', () => (closedIdle += 1)));
    const m = await pacedAgainst(server, 100);
    assert.equal(m.errors, 0);
    assert.equal(m.requests, 250);
    assert.equal(sockets.size, 8, 'every socket carried requests');
    assert.equal(closedIdle, 0, 'the server closed no socket for idleness during the run');
  });
});
