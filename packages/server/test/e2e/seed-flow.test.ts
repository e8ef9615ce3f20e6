import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { adminToken, call } from '../helpers/api.js';
import { insertProject } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import { fillSeedSnippet, pythonWithRequests } from '../helpers/seed.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

// The seed document's flow, end to end over a real socket: admin signs in, creates an Application
// with the Researcher role on a project, and the seed's own curl and Python snippets get a token.
forEachStore('seed flow', (kind) => {
  let server: ServerProcess;
  let admin: string;
  let projectId: string;
  let researcher: { id: string; name: string; secret: string };

  before(async () => {
    server = await startServerProcess(kind);
    admin = await adminToken(server.url);
    projectId = await insertProject(server.db, 'team-a');
    const created = await call(
      server.url,
      'POST',
      '/api/v1/apps',
      { name: 'ci-bot', roles: ['researcher'], projects: [projectId] },
      admin,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    researcher = created.body;
  });
  after(async () => server?.dispose());

  it("the seed's curl command returns an accessToken that verifies against the served JWKS", async () => {
    const script = fillSeedSnippet('cURL', server.url, researcher.name, researcher.secret);
    const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
    const { accessToken } = JSON.parse(out);
    assert.ok(accessToken, out);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
      issuer: server.url,
      audience: 'runai',
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    assert.equal(payload.sub, researcher.id);
    assert.equal(payload.subject_type, 'app');
    assert.ok(protectedHeader.kid);
  });

  it("the seed's Python snippet (requests) returns an accessToken", async () => {
    const script = fillSeedSnippet('Python', server.url, researcher.name, researcher.secret);
    const out = execFileSync(pythonWithRequests(), ['-c', script], { encoding: 'utf8' });
    const body = JSON.parse(out);
    assert.ok(body.accessToken);
    assert.equal(body.expiresIn, 3600);
  });

  it('the Researcher application gets 403 creating an application; an Administrator application gets 201', async () => {
    const token = await appToken(server.url, researcher.name, researcher.secret);
    const denied = await call(server.url, 'POST', '/api/v1/apps', { name: 'sneaky' }, token);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 403);

    const adminApp = await call(
      server.url,
      'POST',
      '/api/v1/apps',
      { name: 'ops-bot', roles: ['admin'] },
      admin,
    );
    assert.equal(adminApp.status, 201);
    const opsToken = await appToken(server.url, adminApp.body.name, adminApp.body.secret);
    const allowed = await call(server.url, 'POST', '/api/v1/apps', { name: 'made-by-ops' }, opsToken);
    assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
  });

  it('the Researcher application cannot grant itself more (no privilege escalation)', async () => {
    const token = await appToken(server.url, researcher.name, researcher.secret);
    const res = await call(
      server.url,
      'POST',
      '/api/v1/authorization/access-rules',
      { subjectType: 'app', subjectId: researcher.id, roleId: 1, scopeType: 'tenant', scopeId: '1' },
      token,
    );
    assert.equal(res.status, 403);
  });
});

async function appToken(url: string, name: string, secret: string): Promise<string> {
  const res = await call(url, 'POST', '/api/v1/token', {
    grantType: 'app_token',
    AppId: name,
    AppSecret: secret,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.accessToken;
}
