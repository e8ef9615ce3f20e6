import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { TesseraError } from '../../errors/registry.js';
import { oauthPolicy } from '../../oauth/policy.js';
import { resolveTenant } from '../../tenancy/resolve.js';
import { completeGrant } from '../complete.js';
import { appTokenGrant } from '../grants/app-token.js';
import { mintIdToken } from '../id-token.js';
import { normalizeTokenFields } from '../request-fields.js';

const LegacyAppTokenRequest = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 256 })),
    name: Type.String({ minLength: 1, maxLength: 256 }),
    secret: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: true },
);

/**
 * `POST /v1/k8s/auth/oauth/apptoken` — Run:ai's deprecated application token endpoint, kept for old
 * scripts: `{id, name, secret}` in, `{access_token, id_token}` out. It is the `app_token` grant under
 * another shape (same secret check, throttling, audit and revocation), so nothing about it is weaker.
 * The response carries the `Deprecation` header pointing callers to `/api/v1/token`.
 */
export function registerLegacyAppToken(app: FastifyInstance, ctx: Context): void {
  app.post(
    '/v1/k8s/auth/oauth/apptoken',
    {
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['Tokens'],
        summary: 'Get an application token (deprecated: use POST /api/v1/token with grantType app_token)',
        operationId: 'app_token',
        deprecated: true,
        security: [],
        body: LegacyAppTokenRequest,
      },
    },
    async (request, reply) => {
      const body = request.body as { name: string; secret: string };
      const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
      const fields = normalizeTokenFields({ AppId: body.name, AppSecret: body.secret });
      const outcome = await appTokenGrant(ctx, {
        fields,
        tenantId,
        sourceIp: request.ip,
        issuer: ctx.issuer(),
      });
      const tokens = await completeGrant(
        ctx,
        { tenantId, grantType: 'app_token', sourceIp: request.ip },
        outcome,
      );
      if (!tokens || !outcome.ok) throw new TesseraError('INVALID_CREDENTIALS');
      const policy = await oauthPolicy(ctx, tenantId);
      const idToken = await mintIdToken(
        ctx.keys,
        Object.assign({}, outcome.subject, { name: outcome.subjectName }),
        {
          issuer: ctx.issuer(),
          clientId: outcome.subject.clientId,
          ttlSec: policy.accessTokenTtlSec,
          authTime: Date.now(),
        },
      );
      return reply
        .header('Cache-Control', 'no-store')
        .header('Deprecation', 'true')
        .header('Link', '</api/v1/token>; rel="successor-version"')
        .send({ access_token: tokens.accessToken, id_token: idToken });
    },
  );
}
