import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redirectAllowed } from '../../src/oauth/clients.js';
import { s256 } from '../../src/oauth/codes.js';
import { normalizeUserCode } from '../../src/oauth/device.js';
import { escapeHtml } from '../../src/oauth/html.js';
import { safeReturnTo } from '../../src/oauth/sign-in-page.js';
import { delayAfter } from '../../src/oauth/throttle.js';
import { parseScope } from '../../src/token/subjects.js';

const issuer = 'https://tessera.example';
const runai = { clientId: 'runai', public: true };
const ui = { clientId: 'tessera-ui', public: true };

describe('OAuth helpers', () => {
  it('runai: loopback redirect URIs on any port (RFC 8252), nothing else', () => {
    for (const uri of [
      'http://localhost:8000/callback',
      'http://127.0.0.1:53682/',
      'http://[::1]:9/cb?x=1',
    ]) {
      assert.equal(redirectAllowed(runai, uri, issuer), true, uri);
    }
    for (const uri of [
      'https://localhost:8000/cb',
      'http://127.0.0.2/cb',
      'http://localhost.evil.example/cb',
      'http://user:pw@localhost/cb',
      'http://localhost/cb#frag',
      'not a url',
    ]) {
      assert.equal(redirectAllowed(runai, uri, issuer), false, uri);
    }
  });

  it("tessera-ui: exactly the server's own callback", () => {
    assert.equal(redirectAllowed(ui, `${issuer}/auth/callback`, issuer), true);
    assert.equal(redirectAllowed(ui, `${issuer}/auth/callback/`, issuer), false);
    assert.equal(redirectAllowed(ui, `${issuer}/auth/callback?x=1`, issuer), false);
    assert.equal(redirectAllowed(ui, 'http://localhost:8000/auth/callback', issuer), false);
    assert.equal(
      redirectAllowed({ clientId: 'app', public: false }, `${issuer}/auth/callback`, issuer),
      false,
    );
  });

  it('PKCE S256 matches RFC 7636 appendix B', () => {
    assert.equal(
      s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('user codes: case, spaces and dashes do not matter', () => {
    assert.equal(normalizeUserCode('bcdf ghjk'), 'BCDF-GHJK');
    assert.equal(normalizeUserCode('BCDF-GHJK'), 'BCDF-GHJK');
    assert.equal(normalizeUserCode('bc'), 'BC');
  });

  it('sign-in returns only to our own authorization and device pages', () => {
    assert.equal(safeReturnTo('/oauth/authorize?client_id=runai'), '/oauth/authorize?client_id=runai');
    assert.equal(
      safeReturnTo('/auth/realms/runai/protocol/openid-connect/auth?x=1'),
      '/auth/realms/runai/protocol/openid-connect/auth?x=1',
    );
    for (const bad of [
      'https://evil.example/',
      '//evil.example/oauth/authorize',
      '/oauth/authorizeX',
      '/api/v1/apps',
      undefined,
    ]) {
      assert.equal(safeReturnTo(bad), '/oauth/device', String(bad));
    }
  });

  it('delays double from 1 s and stop at 15 minutes', () => {
    assert.deepEqual([1, 2, 3, 4].map(delayAfter), [1000, 2000, 4000, 8000]);
    assert.equal(delayAfter(40), 15 * 60_000);
  });

  it('scope parsing and HTML escaping', () => {
    assert.deepEqual(parseScope('openid  email openid'), ['openid', 'email']);
    assert.equal(parseScope(undefined), undefined);
    assert.equal(
      escapeHtml(`<a href="x" onclick='y'>&`),
      '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;',
    );
  });
});
