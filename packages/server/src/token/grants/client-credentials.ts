import { checkAppSecretThrottled } from '../../credentials/app-credentials.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { appGrantOutcome } from './app-outcome.js';

/** `grantType: client_credentials` — `clientID` and `clientSecret` of an application. */
export const clientCredentialsGrant: GrantHandler = async (ctx, { fields, tenantId, sourceIp }) => {
  const clientId = requireField(fields, 'clientid', 'clientID');
  const secret = requireField(fields, 'clientsecret', 'clientSecret');
  return appGrantOutcome(
    ctx,
    clientId,
    await checkAppSecretThrottled(ctx, tenantId, clientId, secret, sourceIp),
  );
};
