import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { spinner } from '../ui/output.js';
import { discover, endpoint } from './discovery.js';
import { send, serverMessage } from './http.js';
import { CLIENT_ID, fromOAuth, type TokenSet } from './tokens.js';

const SCOPE = 'openid email profile groups offline_access';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

/**
 * Device login (RFC 8628) for machines without a browser: prints the verification URL and user
 * code, then polls the token endpoint (honouring `interval` and `slow_down`) until approved,
 * denied or expired.
 *
 * @example
 * ```ts
 * const tokens = await deviceLogin(rt, 'https://tessera.example.com')
 * ```
 */
export async function deviceLogin(rt: Runtime, issuer: string): Promise<TokenSet> {
  const meta = await discover(issuer);
  const authorizeUrl = endpoint(meta, 'device_authorization_endpoint', 'device (remote browser) login');
  const tokenEndpoint = endpoint(meta, 'token_endpoint', 'device (remote browser) login');
  const start = await send<DeviceAuthorization>(authorizeUrl, {
    form: { client_id: CLIENT_ID, scope: SCOPE },
  });
  if (start.status !== 200 || typeof start.body?.device_code !== 'string') {
    throw new CliError(`device login failed: ${serverMessage(start)} (HTTP ${start.status})`);
  }
  const auth = start.body;
  rt.err.write(
    `On any device with a browser, open:\n\n  ${auth.verification_uri_complete ?? auth.verification_uri}\n\n` +
      `and confirm the code ${auth.user_code}\n`,
  );
  let interval = Math.max(1, auth.interval ?? 5);
  const deadline = Date.now() + auth.expires_in * 1000;
  const stop = spinner(rt, 'Waiting for approval');
  try {
    while (Date.now() < deadline) {
      await sleep(interval * 1000);
      const res = await send<{ error?: string }>(tokenEndpoint, {
        form: { grant_type: DEVICE_GRANT, device_code: auth.device_code, client_id: CLIENT_ID },
      });
      const tokens = fromOAuth(res);
      if (tokens) return tokens;
      const error = res.body?.error;
      if (error === 'authorization_pending') continue;
      if (error === 'slow_down') {
        interval += 5;
        continue;
      }
      if (error === 'access_denied') throw new CliError('login denied in the browser');
      if (error === 'expired_token') break;
      throw new CliError(`device login failed: ${serverMessage(res)} (HTTP ${res.status})`);
    }
    throw new CliError('the code expired before it was approved; run `runai login --remote-browser` again');
  } finally {
    stop();
  }
}
