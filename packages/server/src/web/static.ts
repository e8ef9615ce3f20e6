import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../context.js';

/** Where `npm run build -w packages/web` puts the UI (same relative place from `src/` and `dist/`). */
export const WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** The UI's own pages (client-side routes); everything else keeps its API meaning, 404s included. */
export const UI_PATHS = ['/', '/auth/callback', '/settings', '/settings/*'];

/**
 * The UI may only load its own scripts and styles and talk to this origin; no framing. The OAuth
 * pages (`/oauth/*`) are the server's own and are not affected.
 */
const UI_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  // Not no-referrer: with it, browsers send `Origin: null` on form posts, which CSRF checks refuse.
  'Referrer-Policy': 'same-origin',
};

/**
 * Serves the built web UI at `/`: `index.html` for the UI's routes (never cached, so a new build is
 * picked up at once) and the content-hashed files under `/assets/` (cached for a year). When the UI
 * is not built, `/` explains how to build it instead, and the API is unaffected.
 *
 * @example
 * ```ts
 * await registerWebUi(app, ctx)
 * ```
 */
export async function registerWebUi(app: FastifyInstance, ctx: Context, root = WEB_ROOT): Promise<void> {
  const indexPath = `${root}index.html`;
  if (!existsSync(indexPath)) {
    ctx.log.warn({ root }, 'web UI not built (npm run build -w packages/web); serving the API only');
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The Tessera web UI is not built. Run `npm ci` or `npm run build -w packages/web`.\n'),
    );
    return;
  }
  const index = readFileSync(indexPath);
  const indexHeaders = Object.assign({}, UI_HEADERS, { 'Cache-Control': 'no-cache' });
  const sendIndex = (reply: FastifyReply) =>
    reply.headers(indexHeaders).type('text/html; charset=utf-8').send(index);
  for (const path of UI_PATHS)
    app.get(path, { schema: { hide: true } }, (_request, reply) => sendIndex(reply));

  await app.register(fastifyStatic, {
    root: `${root}assets`,
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    schemaHide: true,
    // File names carry a content hash, so a file never changes under its name.
    maxAge: 365 * 24 * 3600 * 1000,
    immutable: true,
  });
}
