import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { withServerLatency } from '../src/server-latency.js';

const dir = mkdtempSync(join(tmpdir(), 'server-latency-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A line as Tessera's request log writes it (`OneLineRequestLog`, `packages/log/src/request-log.ts`). */
const completed = (ms: number) =>
  JSON.stringify({
    level: 30,
    time: Date.now(),
    req: { method: 'POST', url: '/api/v1/token' },
    res: { statusCode: 200 },
    responseTime: ms,
    msg: 'request completed',
  }) + '\n';

describe('withServerLatency', () => {
  it('takes the p99 of the request lines written while the run ran, and only those', async () => {
    const log = join(dir, 'server.log');
    // Lines from before the run (slow ones, which must not count) and a line that is not a request.
    writeFileSync(log, completed(5_000).repeat(50) + '{"level":30,"msg":"tessera listening"}\n');
    const { result, serverP99 } = await withServerLatency(log, async () => {
      for (let ms = 100; ms >= 1; ms--) appendFileSync(log, completed(ms));
      // Not request lines: were they counted, the p99 would be theirs.
      appendFileSync(log, '{"level":40,"msg":"something else","responseTime":9999}\n'.repeat(5));
      return 'ran';
    });
    assert.equal(result, 'ran');
    // 100 values 1..100: the 99th percentile as the client computes it (index 99) is 100.
    assert.equal(serverP99, 100);
  });

  it('gives no figure when the log holds too few request lines (a level above info)', async () => {
    const log = join(dir, 'quiet.log');
    writeFileSync(log, '');
    const { serverP99 } = await withServerLatency(log, async () => {
      for (let i = 0; i < 20; i++) appendFileSync(log, completed(1));
    });
    assert.equal(serverP99, undefined);
  });
});
