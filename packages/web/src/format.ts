/**
 * An API instant (ISO 8601) in the reader's locale, or an em dash when there is none.
 *
 * @example
 * ```ts
 * when(null) // '—'
 * when('2026-01-02T03:04:05Z') // '1/2/2026, 3:04:05 AM' (locale-dependent)
 * ```
 */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
