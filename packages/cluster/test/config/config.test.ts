import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LOG_BUFFER_BYTES, MAX_LOG_BUFFER_BYTES } from '@tessera/log';
import { ClusterConfigError, loadClusterConfig } from '../../src/config/config.js';

const REQUIRED = {
  TESSERA_CONTROL_PLANE_URL: 'http://127.0.0.1:8080/',
  TESSERA_CLUSTER_UUID: '0b6c1f52-3c3e-4b8e-9d55-1c1f8b0d2a11',
  TESSERA_CLUSTER_SECRET: 'secret',
};

describe('loadClusterConfig', () => {
  it('reads the defaults into a frozen object', () => {
    const config = loadClusterConfig(REQUIRED);
    assert.ok(Object.isFrozen(config));
    assert.equal(config.controlPlaneUrl, 'http://127.0.0.1:8080');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.logBufferBytes, DEFAULT_LOG_BUFFER_BYTES);
  });

  it('takes TESSERA_LOG_BUFFER from 0 to the largest buffer', () => {
    assert.equal(loadClusterConfig({ ...REQUIRED, TESSERA_LOG_BUFFER: '0' }).logBufferBytes, 0);
    const largest = String(MAX_LOG_BUFFER_BYTES);
    assert.equal(
      loadClusterConfig({ ...REQUIRED, TESSERA_LOG_BUFFER: largest }).logBufferBytes,
      MAX_LOG_BUFFER_BYTES,
    );
  });

  for (const bad of [String(MAX_LOG_BUFFER_BYTES + 1), '-1', '4k', '1.5'])
    it(`refuses TESSERA_LOG_BUFFER=${bad}, naming it`, () => {
      assert.throws(
        () => loadClusterConfig({ ...REQUIRED, TESSERA_LOG_BUFFER: bad }),
        (err: unknown) => err instanceof ClusterConfigError && err.key === 'TESSERA_LOG_BUFFER',
      );
    });

  it('refuses a missing cluster secret and an unknown log level, naming each', () => {
    const { TESSERA_CLUSTER_SECRET: _, ...noSecret } = REQUIRED;
    assert.throws(() => loadClusterConfig(noSecret), { key: 'TESSERA_CLUSTER_SECRET' });
    assert.throws(() => loadClusterConfig({ ...REQUIRED, TESSERA_LOG_LEVEL: 'loud' }), {
      key: 'TESSERA_LOG_LEVEL',
    });
  });
});
