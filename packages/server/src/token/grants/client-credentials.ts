import { checkAppSecret } from '../../credentials/app-credentials.js';
import { clusterGrantOutcome } from '../../credentials/cluster-credentials.js';
import type { Context } from '../../context.js';
import { throttledSecret } from '../../oauth/throttle-secret.js';
import { ownerSecretMatches } from '../../credentials/rotation.js';
import type { GrantHandler, GrantOutcome } from '../grant.js';
import { requireField } from '../request-fields.js';
import { appGrantOutcome } from './app-outcome.js';

/**
 * `grantType: client_credentials` — `clientID` and `clientSecret` of a service account, of a user's
 * access key (the token then acts as that user), of an application, or of a cluster (client id =
 * its UUID). Throttled per (client id, address) like every credential check.
 */
export const clientCredentialsGrant: GrantHandler = async (ctx, { fields, tenantId, sourceIp }) => {
  const clientId = requireField(fields, 'clientid', 'clientID');
  const secret = requireField(fields, 'clientsecret', 'clientSecret');
  let outcome: GrantOutcome | undefined;
  await throttledSecret(ctx, tenantId, { kind: 'client', account: clientId, address: sourceIp }, async () => {
    outcome = await checkClient(ctx, tenantId, clientId, secret);
    return outcome.ok ? { ok: true, value: undefined } : { ok: false, reason: outcome.reason };
  });
  return outcome as GrantOutcome;
};

async function checkClient(
  ctx: Context,
  tenantId: number,
  clientId: string,
  secret: string,
): Promise<GrantOutcome> {
  const db = ctx.store.db;

  const account = await db
    .selectFrom('service_accounts')
    .select(['id', 'name', 'client_id', 'enabled'])
    .where('tenant_id', '=', tenantId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (account) {
    const who = { subjectType: 'service-account', subjectId: account.id, subjectName: account.name };
    if (!(await ownerSecretMatches(ctx, 'service-account', account.id, secret)))
      return { ok: false, reason: 'wrong_secret', ...who };
    if (!account.enabled) return { ok: false, reason: 'disabled', ...who };
    return {
      ok: true,
      subject: { id: account.id, type: 'service-account', tenantId, clientId: account.client_id },
      subjectName: account.name,
      lastLogin: { table: 'service_accounts', id: account.id },
    };
  }

  const key = await db
    .selectFrom('access_keys')
    .innerJoin('users', 'users.id', 'access_keys.user_id')
    .select([
      'access_keys.id',
      'access_keys.client_id',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.enabled',
    ])
    .where('access_keys.tenant_id', '=', tenantId)
    .where('access_keys.client_id', '=', clientId)
    .executeTakeFirst();
  if (key)
    return accessKeyOutcome(ctx, tenantId, key, await ownerSecretMatches(ctx, 'access-key', key.id, secret));

  const check = await checkAppSecret(ctx, tenantId, clientId, secret);
  if (!check.ok && check.reason === 'unknown_client') {
    // A cluster logging in with its install info (client id = the cluster's UUID).
    const cluster = await clusterGrantOutcome(ctx, tenantId, clientId, secret);
    if (cluster) return cluster;
  }
  return appGrantOutcome(ctx, clientId, check);
}

function accessKeyOutcome(
  ctx: Parameters<GrantHandler>[0],
  tenantId: number,
  key: {
    id: string;
    client_id: string;
    user_id: string;
    email: string;
    name: string | null;
    enabled: number;
  },
  matched: boolean,
): GrantOutcome {
  const who = { subjectType: 'user', subjectId: key.user_id, subjectName: key.email };
  if (!matched) return { ok: false, reason: 'wrong_secret', ...who };
  if (!key.enabled) return { ok: false, reason: 'disabled', ...who };
  return {
    ok: true,
    subject: {
      id: key.user_id,
      type: 'user',
      tenantId,
      clientId: key.client_id,
      email: key.email,
      name: key.name ?? key.email,
      groups: [],
    },
    subjectName: key.email,
    lastLogin: { table: 'access_keys', id: key.id },
  };
}
