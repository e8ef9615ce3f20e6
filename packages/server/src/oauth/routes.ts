import type { FastifyInstance } from 'fastify';
import { createAuthenticator } from '../auth/authenticator.js';
import type { Context } from '../context.js';
import { registerTokenV2 } from '../token/v2/route.js';
import { registerBrokerEndpoint } from '../idps/broker-endpoint.js';
import { registerBrokerLogin } from '../idps/broker-login.js';
import { registerAuthorize } from './authorize.js';
import { registerDevice } from './device.js';
import { registerEndSession } from './end-session.js';
import { registerIntrospect } from './introspect.js';
import { installOAuthScope } from './oauth-error.js';
import { registerRevoke } from './revoke.js';
import { registerSignIn } from './sign-in-page.js';
import { registerUserinfo } from './userinfo.js';

/**
 * Every standard OAuth 2.0 / OpenID Connect endpoint: the v2 token endpoint, authorization with
 * the sign-in page, device authorization, introspection, revocation, userinfo and end-session —
 * each also under the realm-style `/auth/realms/<realm>/protocol/openid-connect/…` paths.
 *
 * @example
 * ```ts
 * await registerOAuth(app, ctx)
 * ```
 */
export async function registerOAuth(app: FastifyInstance, ctx: Context): Promise<void> {
  registerTokenV2(app, ctx);
  await app.register(async (scope) => {
    installOAuthScope(scope);
    const authenticate = createAuthenticator(ctx);
    registerSignIn(scope, ctx);
    registerBrokerLogin(scope, ctx);
    registerBrokerEndpoint(scope, ctx);
    registerAuthorize(scope, ctx);
    registerDevice(scope, ctx);
    registerIntrospect(scope, ctx, authenticate);
    registerRevoke(scope, ctx, authenticate);
    registerUserinfo(scope, ctx, authenticate);
    registerEndSession(scope, ctx);
  });
}
