import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { measure } from '../src/load.js';
import { sweepConnections } from '../src/sweep.js';

describe('connection sweep', () => {
  // A server that waits 10 ms before each answer and computes almost nothing: like a server
  // waiting on a disk flush, a closed loop's rate is its connections over that wait.
  const server = createServer((_req, res) => {
    setTimeout(() => res.end('ok'), 10);
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('probes every count in order and picks the one that served most', async () => {
    const { best, probes } = await sweepConnections(
      [1, 8],
      (connections) => (durationSec) =>
        measure(url, { method: 'GET', path: '/' }, { durationSec, connections }),
      0.5,
    );
    assert.deepEqual(
      probes.map((p) => [p.connections, p.errors]),
      [
        [1, 0],
        [8, 0],
      ],
    );
    // One connection answers at most ~100 a second here, eight ~800: far apart on any machine.
    const [one, eight] = probes.map((p) => p.rps) as [number, number];
    assert.ok(eight > one, `8 connections served ${eight}/s, 1 served ${one}/s`);
    assert.equal(best, 8);
  });
});
