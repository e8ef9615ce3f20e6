import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, SETTINGS } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/settings.js';

describe('config', () => {
  it('has sane defaults and is frozen', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.signingAlgorithm, 'ES256');
    assert.equal(config.accessTokenTtlSec, 3600);
    assert.equal(config.signOffEventLoop, 'auto');
    assert.equal(config.logBufferBytes, 4096);
    assert.ok(Object.isFrozen(config));
  });

  const bad: Array<[string, string, RegExp]> = [
    ['PORT', 'eighty', /whole number/],
    ['PORT', '70000', /between 0 and 65535/],
    ['TESSERA_DATABASE_URL', 'mysql://x@y/z', /postgres/],
    ['TESSERA_DATABASE_URL', 'not a url', /not a URL/],
    ['TESSERA_PUBLIC_URL', 'ftp://example.com', /http/],
    ['TESSERA_SIGNING_ALG', 'HS256', /ES256, RS256, EdDSA/],
    ['TESSERA_ACCESS_TOKEN_TTL', '5', /between 60/],
    ['TESSERA_MASTER_KEY', 'c2hvcnQ=', /32 bytes/],
    ['TESSERA_ADMIN_EMAIL', 'not-an-email', /email/],
    ['TESSERA_ADMIN_PASSWORD', 'short', /8 characters/],
    ['TESSERA_LOG_LEVEL', 'loud', /one of/],
    ['TESSERA_LOG_BUFFER', '65536', /between 0 and 8192/],
    ['TESSERA_SIGN_OFF_EVENT_LOOP', 'sometimes', /auto, always, never/],
  ];
  for (const [key, value, problem] of bad) {
    it(`stops on ${key}=${value}, naming the key`, () => {
      assert.throws(
        () => loadConfig({ [key]: value }),
        (err: unknown) => err instanceof ConfigError && err.key === key && problem.test(err.message),
      );
    });
  }

  it('never echoes a database password in an error', () => {
    assert.throws(
      () => loadConfig({ TESSERA_DATABASE_URL: 'mysql://user:hunter2@db/x' }),
      (err: Error) => !err.message.includes('hunter2'),
    );
    assert.throws(
      () => loadConfig({ TESSERA_DATABASE_URL: 'postgres://user:hunter2@db:notaport/x' }),
      (err: Error) => !err.message.includes('hunter2'),
    );
  });

  it('reads a YAML file named by TESSERA_CONFIG_FILE; the environment wins; unknown keys stop start-up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
    try {
      const file = join(dir, 'tessera.yaml');
      writeFileSync(file, 'PORT: 9090\nTESSERA_ACCESS_TOKEN_TTL: 600\n');
      assert.equal(loadConfig({ TESSERA_CONFIG_FILE: file }).port, 9090);
      assert.equal(loadConfig({ TESSERA_CONFIG_FILE: file, PORT: '9191' }).port, 9191);
      writeFileSync(file, 'TESSERA_PROT: 1\n');
      assert.throws(
        () => loadConfig({ TESSERA_CONFIG_FILE: file }),
        (err: ConfigError) => err.key === 'TESSERA_PROT',
      );
      assert.throws(() => loadConfig({ TESSERA_CONFIG_FILE: join(dir, 'missing.yaml') }), ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('TESSERA_TRUST_PROXY takes addresses, CIDRs and range names, and names itself when wrong', () => {
    assert.deepEqual(loadConfig({}).trustProxy, []);
    assert.deepEqual(
      loadConfig({ TESSERA_TRUST_PROXY: ' 10.0.0.0/8, loopback,fd00::/8,192.0.2.1 ' }).trustProxy,
      ['10.0.0.0/8', 'loopback', 'fd00::/8', '192.0.2.1'],
    );
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1', '::1/129', '10.0.0.0/x'])
      assert.throws(
        () => loadConfig({ TESSERA_TRUST_PROXY: bad }),
        (err: ConfigError) => err.key === 'TESSERA_TRUST_PROXY' && err.message.includes(bad),
        bad,
      );
  });

  it('is documented: the README configuration table lists every setting as SETTINGS describes it', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    for (const spec of Object.values(SETTINGS)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${spec.key}\` |`));
      assert.ok(row, `README lacks a row for ${spec.key}`);
      assert.ok(
        row.includes(spec.description),
        `README row for ${spec.key} does not match: ${spec.description}`,
      );
    }
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    const known = new Set(Object.values(SETTINGS).map((s) => s.key));
    for (const key of documented)
      assert.ok(known.has(key as string), `README documents unknown setting ${key}`);
  });
});
