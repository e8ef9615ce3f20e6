import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLocalExecutor } from '../../src/executor/local.js';
import { openWorkloadStore } from '../../src/store/store.js';
import { recordPhase } from '../../src/workloads/access.js';
import { waitFor } from '../helpers/cluster-process.js';

describe('local executor over the cluster store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-executor-'));
  const store = openWorkloadStore(dir);
  const seen = new Map<string, string[]>();
  const executor = createLocalExecutor({ pendingMs: 20, runMs: 40 }, (id, phase) => {
    seen.set(id, [...(seen.get(id) ?? []), phase]);
    recordPhase({ store }, id, phase);
  });
  after(() => {
    executor.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const workload = (id: string) => {
    const now = Date.now();
    const w = {
      id,
      kind: 'trainings' as const,
      name: id,
      projectId: '1',
      createdBy: 'test',
      createdAt: now,
      updatedAt: now,
      phase: 'Creating',
      phaseUpdatedAt: now,
      desiredPhase: 'Running' as const,
      deletedAt: null,
      completedAt: null,
      spec: '{}',
    };
    store.insert(w);
    return w;
  };

  it('moves a workload Pending -> Running -> Completed and stores each phase', async () => {
    executor.start(workload('w1'));
    await waitFor(async () => store.get('w1')?.phase === 'Completed', 5_000);
    assert.deepEqual(seen.get('w1'), ['Pending', 'Running', 'Completed']);
    assert.ok(store.get('w1')?.completedAt);
  });

  it('a suspended workload stays Stopped; resume starts it again from Pending', async () => {
    const w = workload('w2');
    executor.start(w);
    executor.suspend('w2');
    assert.equal(store.get('w2')?.phase, 'Stopped');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(store.get('w2')?.phase, 'Stopped', 'no timer left running');
    executor.start(w);
    await waitFor(async () => store.get('w2')?.phase === 'Completed', 5_000);
    assert.deepEqual(seen.get('w2'), ['Pending', 'Stopped', 'Pending', 'Running', 'Completed']);
  });
});
