import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** A stand-in kube-apiserver over HTTPS that accepts OIDC ID tokens like a real one would. */
export interface StubApiServer {
  url: string;
  /** PEM of its self-signed certificate (for `certificate-authority-data`). */
  caPem: string;
  /** Bearer tokens it received, in order. */
  tokens: string[];
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server on 127.0.0.1 with a self-signed certificate made by openssl. It answers
 * `GET /api` with 200 only for a bearer token signed by `issuer`'s JWKS with `aud: runai` and not
 * expired — what a kube-apiserver with `--oidc-issuer-url --oidc-client-id=runai` checks — else 401.
 *
 * @example
 * ```ts
 * const api = await startStubApiServer(server.url)
 * ```
 */
export async function startStubApiServer(issuer: string): Promise<StubApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stub-apiserver-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const tokens: string[] = [];
  const server = createServer({ key, cert }, (req, res) => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (match?.[1]) tokens.push(match[1]);
    const deny = () =>
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","code":401}');
    if (!match?.[1]) return deny();
    jwtVerify(match[1], jwks, { issuer, audience: 'runai' }).then(
      () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"kind":"APIVersions","versions":["v1"]}'),
      deny,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: cert,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
