import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { createLogger } from '../src/logger.js';
import { Milliseconds, OneLineRequestLog } from '../src/request-log.js';
import { collector } from './helpers/collector.js';

describe('Milliseconds', () => {
  it('is written as a JSON number of milliseconds, to the microsecond', () => {
    assert.equal(JSON.stringify({ t: new Milliseconds(1.2345678) }), '{"t":1.235}');
    assert.equal(JSON.stringify({ t: new Milliseconds(0.0004) }), '{"t":0}');
    assert.equal(JSON.stringify({ t: new Milliseconds(17) }), '{"t":17}');
    assert.equal(JSON.stringify({ t: new Milliseconds(2.679) }), '{"t":2.679}');
  });

  it('reads as a number in a pino line, not a string', async () => {
    const { lines, destination } = collector();
    createLogger('info', destination).info({ responseTime: new Milliseconds(0.8573908805847168) }, 'done');
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(lines[0] as string, /"responseTime":0\.857,/);
    assert.equal(JSON.parse(lines[0] as string).responseTime, 0.857);
  });
});

describe('OneLineRequestLog', () => {
  it('writes one line per request, its time a number with at most three decimals', async () => {
    const { lines, destination } = collector();
    const app = Fastify({
      loggerInstance: createLogger('info', destination),
      logController: new OneLineRequestLog(),
    });
    app.get('/ok', async () => ({ ok: true }));
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/ok' })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
    } finally {
      await app.close();
    }
    await new Promise((resolve) => setImmediate(resolve));
    const entries = lines.map(
      (l) =>
        JSON.parse(l) as {
          msg: string;
          responseTime?: unknown;
          req?: { url: string };
          res?: { statusCode: number };
        },
    );
    assert.equal(entries.filter((e) => e.msg === 'incoming request').length, 0);
    const timed = entries.filter((e) => e.responseTime !== undefined);
    assert.deepEqual(
      timed.map((e) => `${e.msg} ${e.req?.url} ${e.res?.statusCode}`),
      // A handler's error is Fastify's own line; the request's line still follows with its status.
      ['request completed /ok 200', 'request completed /boom 500'],
    );
    for (const e of timed) {
      assert.equal(typeof e.responseTime, 'number');
      assert.ok(Number.isInteger(Math.round((e.responseTime as number) * 1000)));
      assert.match(String(e.responseTime), /^\d+(\.\d{1,3})?$/);
    }
  });
});
