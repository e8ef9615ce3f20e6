// The peer: panva's oidc-provider (an OpenID Certified provider) serving client_credentials on
// loopback, issuing JWT access tokens signed ES256 (resource indicators with a default resource),
// like Tessera's. Its default in-memory adapter holds what it keeps; nothing is written to disk.
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = Object.assign(await exportJWK(privateKey), { alg: 'ES256', use: 'sig', kid: 'bench' });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.PEER_CLIENT_ID ?? 'bench-client',
      client_secret: process.env.PEER_CLIENT_SECRET ?? 'bench-secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [jwk] },
  ttl: { ClientCredentials: 3600 },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:runai',
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: '',
        audience: 'runai',
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
const server = provider.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
