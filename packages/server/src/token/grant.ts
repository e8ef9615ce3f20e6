import type { Context } from '../context.js';
import type { OAuthClient } from '../oauth/clients.js';
import type { OAuthErrorCode } from '../oauth/oauth-error.js';
import type { TokenOptions } from './issue.js';
import type { TokenSubject } from './mint.js';
import type { TokenFields } from './request-fields.js';

/** The column in which each table records its subject's last login: a cluster's is its `last_seen`. */
export const LAST_LOGIN_COLUMN = {
  applications: 'last_login',
  users: 'last_login',
  service_accounts: 'last_login',
  access_keys: 'last_login',
  clusters: 'last_seen',
} as const;

/** A row that records its subject's last login ({@link LAST_LOGIN_COLUMN}). */
export interface LastLogin {
  table: keyof typeof LAST_LOGIN_COLUMN;
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
      /**
       * The row whose last login ({@link LAST_LOGIN_COLUMN}) this login sets, in the same commit as
       * its audit event (the grant journal's batch). Absent for a grant that is not a login: a
       * refresh, a device code's poll.
       */
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
