import { CliError } from '../errors.js';
import { send } from './http.js';

/** The parts of an OpenID Provider's metadata the CLI uses. */
export interface ProviderMetadata {
  issuer: string;
  token_endpoint?: string;
  authorization_endpoint?: string;
  device_authorization_endpoint?: string;
  revocation_endpoint?: string;
  userinfo_endpoint?: string;
}

/**
 * Fetches `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery).
 *
 * @example
 * ```ts
 * const { token_endpoint } = await discover('https://tessera.example.com')
 * ```
 */
export async function discover(issuer: string): Promise<ProviderMetadata> {
  const res = await send<ProviderMetadata>(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (res.status !== 200 || typeof res.body?.issuer !== 'string') {
    throw new CliError(
      `${issuer} does not look like a Tessera control plane (no OpenID discovery, HTTP ${res.status})`,
      {
        hint: 'check the URL given to `runai config set --url`',
      },
    );
  }
  return res.body;
}

/** The endpoint named `key`, or a readable error saying the server does not offer it. */
export function endpoint(meta: ProviderMetadata, key: keyof ProviderMetadata, what: string): string {
  const value = meta[key];
  if (typeof value !== 'string' || value === '') {
    throw new CliError(`the control plane at ${meta.issuer} does not support ${what}`, {
      hint: 'use `runai login user -u EMAIL` or `runai login application`',
    });
  }
  return value;
}
