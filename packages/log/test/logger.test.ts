import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../src/logger.js';
import { collector } from './helpers/collector.js';

describe('createLogger', () => {
  it('logs a request and an answer as a few fields, never their headers', async () => {
    const { lines, destination } = collector();
    const log = createLogger('trace', destination);
    const req = {
      method: 'POST',
      url: '/api/v1/token',
      host: 'tessera.example',
      ip: '10.0.0.7',
      socket: { remotePort: 51234 },
      headers: {
        authorization: 'Bearer sekret-token',
        cookie: 'sid=sekret-cookie',
        'x-api-key': 'sekret-key',
      },
      body: { AppSecret: 'sekret-secret' },
    };
    const res = { statusCode: 200, headers: { 'set-cookie': 'sid=sekret-set-cookie' } };
    log.info({ req, res, responseTime: 1.5 }, 'request completed');
    log.error({ req }, 'something about this request');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 2);
    for (const line of lines) assert.doesNotMatch(line, /sekret/);
    const first = JSON.parse(lines[0] as string);
    assert.deepEqual(first.req, {
      method: 'POST',
      url: '/api/v1/token',
      host: 'tessera.example',
      remoteAddress: '10.0.0.7',
      remotePort: 51234,
    });
    assert.deepEqual(first.res, { statusCode: 200 });
    assert.equal(first.responseTime, 1.5);
  });

  it('keeps an error’s message and stack', async () => {
    const { lines, destination } = collector();
    createLogger('info', destination).error({ err: new Error('boom') }, 'failed');
    await new Promise((resolve) => setImmediate(resolve));
    const entry = JSON.parse(lines[0] as string);
    assert.equal(entry.err.message, 'boom');
    assert.match(entry.err.stack, /Error: boom/);
  });
});
