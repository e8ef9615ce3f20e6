/**
 * JSON text whose base64url encoding contains no `-` or `_`, and needs no `=` padding.
 *
 * Why: the official Run:ai Python SDK decodes the JWT payload with a *standard* base64 decoder, which
 * chokes on the URL-safe alphabet's `-` and `_`. In base64, a 6-bit group is 62 (`-`) or 63 (`_`)
 * only where a byte's high bits are set or where the third byte of a 3-byte block ends in 111110 or
 * 111111. Pure ASCII never sets the high bits, and the only ASCII bytes ending in those six bits are
 * `>` `?` `~` and DEL. So: escape every non-ASCII character and those four as `\uXXXX` (the same JSON
 * value), and pad with spaces before the closing brace to a multiple of 3 bytes. This is a proof,
 * not a retry loop; the property is tested on many tokens.
 *
 * @example
 * ```ts
 * pythonSafeJson({ name: 'Zoë?' }) // '{"name":"Zo\u00eb\u003f"}' padded to a multiple of 3 bytes
 * ```
 */
export function pythonSafeJson(value: Record<string, unknown>): string {
  const json = JSON.stringify(value).replace(/[>?~\u007f-\uffff]/g, escapeChar);
  const padding = (3 - (json.length % 3)) % 3;
  return padding === 0 ? json : json.slice(0, -1) + ' '.repeat(padding) + '}';
}

function escapeChar(char: string): string {
  return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0');
}
