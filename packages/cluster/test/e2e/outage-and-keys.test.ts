import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { call } from '../../../server/test/helpers/api.js';
import { openDirect } from '../../../server/test/helpers/direct-store.js';
import { forEachStore } from '../../../server/test/helpers/each-store.js';
import { loadMasterKey } from '../../../server/src/crypto/master-key.js';
import { createSigningKey } from '../../../server/src/keys/key-ring.js';
import { waitFor } from '../helpers/cluster-process.js';
import { insertProjectOn } from '../helpers/control-plane.js';
import { appToken, createApp, startLandscape, type Landscape } from '../helpers/setup.js';

// The control plane goes away and comes back; its signing key rotates. The cluster is never restarted.
forEachStore('cluster through outages and key rotation', (kind) => {
  let land: Landscape;
  let app: { id: string; name: string; secret: string; token: string };

  before(async () => {
    land = await startLandscape(kind);
    app = await createApp(land.server.url, land.admin, 'steady', ['researcher'], [land.projectP]);
  });
  after(async () => land?.dispose());

  const list = (token: string) => call(land.cluster.url, 'GET', '/api/v1/workloads', undefined, token);
  const readyz = async () => (await call(land.cluster.url, 'GET', '/readyz')).body;

  it('keeps serving cached tokens, refuses unknown ones, and resyncs when the control plane returns', async () => {
    await waitFor(async () => (await list(app.token)).status === 200, 5_000);
    const unseen = await appToken(land.server.url, app.name, app.secret);

    await land.server.stop();
    await waitFor(async () => (await readyz()).connected === false, 10_000);
    // The log says why, not only fetch's "fetch failed" (written in chunks: wait for the line).
    const why = /"error":"fetch failed: connect ECONNREFUSED [^"]+","msg":"control plane unreachable"/;
    await waitFor(async () => why.test(land.cluster.output()), 5_000, land.logs);
    assert.equal((await list(app.token)).status, 200, 'a token verified before the outage keeps working');
    const refused = await list(unseen);
    assert.equal(refused.status, 401, 'a token never seen cannot be checked while the feed is down');

    // Something changes while the control plane is down (straight in its store): a new project.
    const projectR = await insertProjectOn(land.server.db, 'team-r', land.clusterId);

    await land.server.restart();
    await waitFor(async () => (await readyz()).connected === true, 15_000);
    assert.equal((await list(unseen)).status, 200, 'after the resync the new token is accepted');
    const projects = await call(land.cluster.url, 'GET', '/api/v1/org-unit/projects', undefined, land.admin);
    assert.ok(
      projects.body.projects.some((p: { id: string }) => p.id === projectR),
      'the resync brought the project created during the outage',
    );
    // And the feed flows again: a revocation after the outage still reaches the cluster.
    const res = await call(
      land.server.url,
      'PATCH',
      `/api/v1/apps/${app.id}`,
      { enabled: false },
      land.admin,
    );
    assert.equal(res.status, 200);
    await waitFor(async () => (await list(unseen)).status === 401, 5_000);
  });

  it('accepts tokens signed with a rotated key without a restart', async () => {
    const fresh = await createApp(land.server.url, land.admin, 'rotator', ['researcher'], [land.projectP]);
    await waitFor(async () => (await list(fresh.token)).status === 200, 5_000);
    const oldKid = decodeProtectedHeader(fresh.token).kid;

    // Rotate in the store, then restart the control plane so that it signs with the new key.
    const store = openDirect(land.server.db);
    try {
      await createSigningKey(store.db, loadMasterKey(undefined, land.server.db.dataDir), 'ES256');
    } finally {
      await store.close();
    }
    await land.server.restart();
    const rotated = await appToken(land.server.url, fresh.name, fresh.secret);
    assert.notEqual(decodeProtectedHeader(rotated).kid, oldKid);
    await waitFor(async () => (await readyz()).connected === true, 15_000);
    const res = await list(rotated);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(
      (await list(fresh.token)).status,
      200,
      'tokens of the retired key stay valid until they expire',
    );
  });
});
