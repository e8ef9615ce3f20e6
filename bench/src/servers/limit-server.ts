// The physical limit: bare node:http that parses the same JSON body as POST /api/v1/token and signs
// the same access token (ES256, same header, same claims, same Python-safe payload) with jose — and
// does nothing else: no framework, no store, no secret check, no audit.
// LIMIT_SIGNER=node signs with Tessera's own function instead (keys/compact-sign.ts: node:crypto on
// a worker thread, a turn's signatures in one message): the issue defines the limit with jose, and
// Tessera signs faster than jose does, so the harness reports the ratio against both.
import { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { pooledRandomBytes } from '../../../packages/server/src/crypto/random-pool.js';
import { compactSign } from '../../../packages/server/src/keys/compact-sign.js';
import { pythonSafeJson } from '../../../packages/server/src/token/python-safe-json.js';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
const keyObject = KeyObject.from(privateKey);
const signer = process.env.LIMIT_SIGNER === 'node' ? 'node' : 'jose';
const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
const encoder = new TextEncoder();
const subject = { id: '0192f0c4-6c43-7cc1-9f5e-2f1e0a9d4b11', tenantId: 1 };

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-length': 2 }).end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (typeof body.AppId !== 'string' || typeof body.AppSecret !== 'string') {
      res.writeHead(400).end();
      return;
    }
    const nowMs = Date.now();
    const iat = Math.floor(nowMs / 1000);
    const claims = {
      iss: issuer,
      sub: subject.id,
      aud: 'runai',
      exp: iat + 3600,
      iat,
      // Random bytes as Tessera draws them: uuid's own source costs ~5 % here for nothing.
      jti: uuidv7({ msecs: nowMs, random: pooledRandomBytes(16) }),
      client_id: subject.id,
      tenant_id: subject.tenantId,
      subject_type: 'app',
    };
    const header = { alg: 'ES256', kid, typ: 'at+jwt' } as const;
    const signed =
      signer === 'node'
        ? compactSign({ alg: 'ES256', keyObject }, header, pythonSafeJson(claims))
        : new CompactSign(encoder.encode(pythonSafeJson(claims))).setProtectedHeader(header).sign(privateKey);
    void signed.then((token) => {
      const json = JSON.stringify({ accessToken: token, expiresIn: 3600 });
      res
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(json),
          'cache-control': 'no-store',
        })
        .end(json);
    });
  });
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
