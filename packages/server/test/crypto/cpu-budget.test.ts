import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuBudget, signsOffEventLoop, type ReadText } from '../../src/crypto/cpu-budget.js';

/** A file system holding only `files`. */
const files =
  (entries: Record<string, string>): ReadText =>
  (path) =>
    entries[path];

describe('cpuBudget', () => {
  it('is the affinity when no cgroup limits the CPU', () => {
    assert.equal(cpuBudget(files({}), 8), 8);
    assert.equal(
      cpuBudget(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' }), 8),
      8,
    );
    assert.equal(
      cpuBudget(
        files({
          '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
          '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
        }),
        8,
      ),
      8,
    );
  });

  it("reads a container's cgroup v2 quota, at the mount's root or under the process's group", () => {
    assert.equal(
      cpuBudget(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '100000 100000\n' }), 16),
      1,
    );
    assert.equal(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': '50000 100000' }), 16), 0.5);
    const nested = {
      '/proc/self/cgroup': '0::/kubepods/pod1/ctr\n',
      '/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': '250000 100000\n',
    };
    assert.equal(cpuBudget(files(nested), 16), 2.5);
  });

  it('reads a cgroup v1 quota', () => {
    const v1 = {
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '150000\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    };
    assert.equal(cpuBudget(files(v1), 4), 1.5);
  });

  it('never counts more than the affinity allows, and ignores what it cannot read', () => {
    assert.equal(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': '800000 100000' }), 2), 2);
    assert.equal(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': 'garbage' }), 3), 3);
    assert.equal(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': '0 100000' }), 3), 3);
  });

  it('reads this machine without throwing', () => {
    const budget = cpuBudget();
    assert.ok(budget > 0 && Number.isFinite(budget));
  });
});

describe('signsOffEventLoop', () => {
  it('auto: off the event loop from 2 CPUs, on it below', () => {
    assert.equal(signsOffEventLoop('auto', 2), true);
    assert.equal(signsOffEventLoop('auto', 1.5), false);
    assert.equal(signsOffEventLoop('auto', 1), false);
  });

  it('always and never ignore the budget', () => {
    assert.equal(signsOffEventLoop('always', 1), true);
    assert.equal(signsOffEventLoop('never', 64), false);
  });
});
