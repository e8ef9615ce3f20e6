import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../../../server/test/helpers/api.js';
import { startLandscape, type Landscape } from '../helpers/setup.js';

// The Cluster API logs through @tessera/log as the control plane does: one line per request, no
// header of any kind, written in chunks and all of it on a normal stop. The log does not depend on
// the control plane's store, so one store is enough here.
describe('Cluster API request log', () => {
  let land: Landscape;
  let lines: { msg?: string; [key: string]: unknown }[];
  let output: string;

  before(async () => {
    land = await startLandscape('sqlite');
    const listed = await call(land.cluster.url, 'GET', '/api/v1/workloads', undefined, land.admin);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const forged = await call(land.cluster.url, 'GET', '/api/v1/workloads', undefined, 'not-a-token');
    assert.equal(forged.status, 401);
    // The last request before SIGTERM: it must reach the output although the buffer is not full.
    const health = await fetch(`${land.cluster.url}/healthz`, {
      headers: { cookie: 'session=secret-cookie' },
    });
    assert.equal(health.status, 200);
    await land.cluster.stop();
    output = land.cluster.output();
    lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string });
  });
  after(async () => land?.dispose());

  it('writes one line per request, with method, URL, status and time', () => {
    assert.equal(lines.filter((l) => l.msg === 'incoming request').length, 0);
    const completed = lines.filter((l) => l.msg === 'request completed');
    const seen = completed.map((l) => {
      const { req, res, responseTime } = l as {
        req: { method: string; url: string };
        res: { statusCode: number };
        responseTime: number;
      };
      assert.equal(typeof responseTime, 'number');
      return `${req.method} ${req.url} ${res.statusCode}`;
    });
    assert.ok(seen.includes('GET /api/v1/workloads 200'), seen.join('\n'));
    assert.ok(seen.includes('GET /api/v1/workloads 401'), seen.join('\n'));
    assert.ok(seen.includes('GET /healthz 200'), seen.join('\n'));
  });

  it('never logs a header: no bearer token, no cookie', () => {
    assert.ok(!output.includes(land.admin), 'the bearer token reached the log');
    assert.ok(!output.includes('not-a-token'));
    assert.ok(!output.includes('secret-cookie'));
    assert.ok(!/authorization/i.test(output));
  });

  it('writes what it holds on stop, ending with the stop line', () => {
    assert.equal(lines.at(-1)?.msg, 'tessera cluster stopped');
  });
});
