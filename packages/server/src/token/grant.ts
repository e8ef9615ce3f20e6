import type { Kysely } from 'kysely';
import type { Context } from '../context.js';
import type { OAuthClient } from '../oauth/clients.js';
import type { OAuthErrorCode } from '../oauth/oauth-error.js';
import type { TokenOptions } from './issue.js';
import type { Database } from '../store/schema.js';
import type { TokenSubject } from './mint.js';
import type { TokenFields } from './request-fields.js';

/** A row with a `last_login` column. */
export interface LastLogin {
  table: 'applications' | 'users' | 'service_accounts' | 'access_keys';
  id: string;
}

/** What a grant handler knows about the request beyond its fields. */
export interface GrantRequest {
  fields: TokenFields;
  tenantId: number;
  sourceIp: string;
  /** The issuer the request came in under (canonical, or a realm variant). */
  issuer: string;
  /** v2: the client, already authenticated. v1: undefined (the grant reads `clientID`). */
  client?: OAuthClient;
  /** v2: the requested scope, if any. */
  scope?: string[];
}

/** A grant's verdict: who the token is for, or why not (for the audit log). */
export type GrantOutcome =
  | {
      ok: true;
      subject: TokenSubject;
      subjectName: string;
      /** Records the login (`last_login`) through `db`: the endpoint's transaction with its audit event. */
      touch: (db: Kysely<Database>) => Promise<void>;
      /** The row whose `last_login` {@link touch} sets: lets the endpoint set a batch's in one UPDATE. */
      lastLogin?: LastLogin;
      /** ID/refresh token wishes; absent: an access token only. */
      tokenOptions?: TokenOptions;
    }
  | {
      ok: false;
      reason: string;
      subjectType: string;
      subjectId?: string;
      subjectName?: string;
      /** The RFC 6749 / 8628 error for v2; `invalid_grant` when absent. */
      error?: OAuthErrorCode;
    };

/** One grant type: checks credentials and names the subject; the endpoint mints and audits. */
export type GrantHandler = (ctx: Context, request: GrantRequest) => Promise<GrantOutcome>;
