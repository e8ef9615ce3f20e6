/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<a href="x">') // '&#60;a href=&#34;x&#34;&#62;'
 * ```
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A minimal standalone page (no scripts, no external resources).
 *
 * @example
 * ```ts
 * reply.type('text/html').send(page('Signed out', '<p>You are signed out.</p>'))
 * ```
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Tessera</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button,.sso{margin-top:1rem;padding:.5rem 1rem}.sso{display:inline-block;border:1px solid #555;border-radius:3px;color:inherit;text-decoration:none}.error{color:#b00020}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Security headers for every HTML page: no framing, no caching, no scripts. */
export const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  // form-action also governs the redirects a form submission leads to: signing in (or changing a
  // temporary password) ends in a redirect to the client, and the CLI's redirect URI is a loopback
  // port (RFC 8252), so loopback origins are allowed too. ([::1] cannot be written in CSP.)
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'",
  // Not no-referrer: under it browsers send `Origin: null` on the sign-in form's POST, which the
  // CSRF check (sessions.ts csrfValid) refuses, so no real browser could sign in.
  'Referrer-Policy': 'same-origin',
};
