import { checkAppSecretThrottled } from '../../credentials/app-credentials.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { appGrantOutcome } from './app-outcome.js';

/**
 * `grantType: app_token` — the seed's flow: `AppId` (the application's name, or its client id) and
 * `AppSecret`.
 */
export const appTokenGrant: GrantHandler = async (ctx, { fields, tenantId, sourceIp }) => {
  const appId = requireField(fields, 'appid', 'AppId');
  const secret = requireField(fields, 'appsecret', 'AppSecret');
  return appGrantOutcome(ctx, appId, await checkAppSecretThrottled(ctx, tenantId, appId, secret, sourceIp));
};
