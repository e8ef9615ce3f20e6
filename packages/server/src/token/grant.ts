import type { Kysely } from 'kysely';
import type { Context } from '../context.js';
import type { Database } from '../store/schema.js';
import type { TokenSubject } from './mint.js';
import type { TokenFields } from './request-fields.js';

/** A row with a `last_login` column. */
export interface LastLogin {
  table: 'applications' | 'users';
  id: string;
}

/** What a grant handler knows about the request beyond its fields. */
export interface GrantRequest {
  fields: TokenFields;
  tenantId: number;
  sourceIp: string;
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
    }
  | { ok: false; reason: string; subjectType: string; subjectId?: string; subjectName?: string };

/** One grant type: checks credentials and names the subject; the endpoint mints and audits. */
export type GrantHandler = (ctx: Context, request: GrantRequest) => Promise<GrantOutcome>;
