import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../audit/audit-log.js';
import type { Context } from '../context.js';
import { clearCookie, readSealedCookie } from '../oauth/sealed-cookie.js';
import { startSession } from '../oauth/sessions.js';
import { safeReturnTo } from '../oauth/sign-in-page.js';
import { resolveTenant } from '../tenancy/resolve.js';
import { BROKER_COOKIE, brokerError, type BrokerState } from './broker-login.js';
import { mapIdentity } from './identity.js';
import { redirectUri } from './model.js';
import { loadProvider } from './repository.js';
import { redeemCode, UpstreamError, verifyUpstreamToken } from './upstream.js';

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Refusals that are about the account, not the provider or the request. */
const FORBIDDEN_REASONS = /^(mandatory_claim_missing|email_not_verified|disabled)/;

/**
 * `GET /auth/realms/<realm>/broker/<alias>/endpoint` — the upstream provider's redirect back (the
 * `redirectUri` GET /api/v1/idps shows). Checks the state against this browser's sealed cookie,
 * redeems the code with the PKCE verifier, verifies the ID token (signature via the provider's JWKS,
 * issuer, audience, expiry, nonce), maps the user (just in time if new) and starts the browser
 * session exactly as the password sign-in does. Every failure is audited and shown as a 4xx page.
 *
 * @example
 * ```ts
 * registerBrokerEndpoint(scope, ctx)
 * ```
 */
export function registerBrokerEndpoint(app: FastifyInstance, ctx: Context): void {
  app.get(
    '/auth/realms/:realm/broker/:alias/endpoint',
    { schema: { hide: true } },
    async (request, reply) => {
      const { alias } = request.params as { alias: string };
      const q = request.query as Record<string, unknown>;
      const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
      const pending = readSealedCookie<BrokerState>(ctx, request, BROKER_COOKIE);
      clearCookie(ctx, reply, BROKER_COOKIE);
      const tenantId = await resolveTenant(ctx.store.db, request.headers.host);
      const returnTo = safeReturnTo(pending?.returnTo);
      const fail = async (status: number, message: string, reason: string, name?: string) => {
        await recordAudit(ctx.store.db, {
          tenantId,
          actor: { type: 'user', name: name ?? null },
          action: 'auth.sign_in',
          resource: { type: 'browser-session', name: `idp:${alias.slice(0, 64)}` },
          result: 'failure',
          reason,
          sourceIp: request.ip,
        });
        return brokerError(reply, status, message, returnTo);
      };
      const state = str('state');
      if (
        !pending ||
        !state ||
        pending.alias !== alias ||
        pending.tenantId !== tenantId ||
        !same(state, pending.state)
      )
        return fail(
          400,
          'This sign-in has expired or was started in another browser. Please sign in again.',
          'broker_state_mismatch',
        );
      const upstreamError = str('error');
      if (upstreamError !== undefined) {
        const denied = upstreamError === 'access_denied';
        return fail(
          denied ? 403 : 400,
          denied
            ? 'The identity provider did not sign you in (access denied).'
            : `The identity provider reported an error: ${upstreamError.slice(0, 64)}.`,
          `upstream_${upstreamError.slice(0, 64)}`,
        );
      }
      const code = str('code');
      if (!code) return fail(400, 'The identity provider sent no authorization code.', 'missing_code');
      const idp = await loadProvider(ctx.store.db, ctx.master, tenantId, alias);
      if (!idp) return fail(404, `There is no identity provider "${alias.slice(0, 64)}".`, 'unknown_idp');
      try {
        const idToken = await redeemCode(idp, {
          code,
          redirectUri: redirectUri(ctx.issuer(), alias),
          codeVerifier: pending.verifier,
        });
        const claims = await verifyUpstreamToken(idp, idToken);
        if (typeof claims.nonce !== 'string' || !same(claims.nonce, pending.nonce))
          throw new UpstreamError(
            'The identity provider\u2019s token was not valid.',
            'token_nonce_mismatch',
          );
        const user = await mapIdentity(ctx, idp, claims, request.ip);
        await recordAudit(ctx.store.db, {
          tenantId,
          actor: { type: 'user', id: user.id, name: user.email },
          action: 'auth.sign_in',
          resource: { type: 'browser-session', name: `idp:${alias}` },
          result: 'success',
          sourceIp: request.ip,
        });
        await ctx.store.db
          .updateTable('users')
          .set({ last_login: Date.now() })
          .where('id', '=', user.id)
          .execute();
        await startSession(ctx, reply, tenantId, user.id);
        return reply.code(303).header('Location', returnTo).header('Cache-Control', 'no-store').send();
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        return fail(FORBIDDEN_REASONS.test(err.reason) ? 403 : 400, err.message, err.reason);
      }
    },
  );
}
