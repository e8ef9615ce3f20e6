import { checkAppSecret } from '../../credentials/app-credentials.js';
import { clusterGrantOutcome } from '../../credentials/cluster-credentials.js';
import type { GrantHandler } from '../grant.js';
import { requireField } from '../request-fields.js';
import { appGrantOutcome } from './app-outcome.js';

/**
 * `grantType: client_credentials` — `clientID` and `clientSecret` of an application, or of a
 * cluster (client id = the cluster's UUID) when no application has that id.
 */
export const clientCredentialsGrant: GrantHandler = async (ctx, { fields, tenantId }) => {
  const clientId = requireField(fields, 'clientid', 'clientID');
  const secret = requireField(fields, 'clientsecret', 'clientSecret');
  const check = await checkAppSecret(ctx, tenantId, clientId, secret);
  if (!check.ok && check.reason === 'unknown_client') {
    const cluster = await clusterGrantOutcome(ctx, tenantId, clientId, secret);
    if (cluster) return cluster;
  }
  return appGrantOutcome(ctx, clientId, check);
};
