import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { authorizationCodeGrant } from './authorization-code.js';

/**
 * v1 `grantType: exchange_token` — Run:ai's authorization-code exchange: `code`, `redirectUri`,
 * `clientID` and the PKCE verifier as `codeVerifier`. Only public clients (`runai`, `tessera-ui`)
 * use it, so PKCE is required.
 *
 * @example
 * ```ts
 * const outcome = await exchangeTokenGrant(ctx, { fields: { code, redirecturi, clientid, codeverifier }, tenantId, sourceIp, issuer })
 * ```
 */
export const exchangeTokenGrant: GrantHandler = async (ctx, request) => {
  requireField(request.fields, 'redirecturi', 'redirectUri');
  return authorizationCodeGrant(ctx, Object.assign({}, request, { client: undefined }));
};
