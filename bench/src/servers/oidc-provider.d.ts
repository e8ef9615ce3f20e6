// oidc-provider 8 ships no types. The bench's peer server uses its constructor and listen(); the
// server's SSO tests (packages/server/test/helpers/upstream-idp.ts) mount callback() on their own
// loopback server. This one declaration serves both (tsconfig.test.json includes bench).
declare module 'oidc-provider' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    listen(port: number, host: string): Server;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
