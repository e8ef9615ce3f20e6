/** A unit a duration can be typed in, as a multiple of the setting's own unit. */
export interface DurationUnit {
  label: string;
  factor: number;
}

/** Units for settings stored in seconds (token lifetimes, lockout, rotation overlap). */
export const SECOND_UNITS: readonly DurationUnit[] = [
  { label: 'seconds', factor: 1 },
  { label: 'minutes', factor: 60 },
  { label: 'hours', factor: 3600 },
  { label: 'days', factor: 86_400 },
];

/** Units for settings stored in minutes (the browser session idle timeout). */
export const MINUTE_UNITS: readonly DurationUnit[] = [
  { label: 'minutes', factor: 1 },
  { label: 'hours', factor: 60 },
  { label: 'days', factor: 1440 },
];

/** A duration as the form holds it: the typed amount and the chosen unit's factor. */
export interface DurationDraft {
  amount: string;
  factor: number;
}

/**
 * The largest unit that shows `value` as a whole number (3600 s → 1 hour); empty for no value.
 *
 * @example
 * ```ts
 * durationDraft(7200, SECOND_UNITS) // { amount: '2', factor: 3600 }
 * ```
 */
export function durationDraft(value: number | null, units: readonly DurationUnit[]): DurationDraft {
  if (value === null) return { amount: '', factor: units[0]!.factor };
  const unit = [...units].reverse().find((u) => value !== 0 && value % u.factor === 0) ?? units[0]!;
  return { amount: String(value / unit.factor), factor: unit.factor };
}

/**
 * The value in the setting's own unit; `null` for an empty amount, `NaN` for text that is not a
 * number. Whole-number and range checks are left to the server, whose message is shown.
 *
 * @example
 * ```ts
 * durationValue({ amount: '15', factor: 60 }) // 900
 * ```
 */
export function durationValue(draft: DurationDraft): number | null {
  const text = draft.amount.trim();
  if (text === '') return null;
  return Number(text) * draft.factor;
}

/**
 * A duration for reading: `2 hours (7200 seconds)`, or `2 hours` when `short`.
 *
 * @example
 * ```ts
 * formatDuration(90, SECOND_UNITS) // '90 seconds'
 * ```
 */
export function formatDuration(value: number | null, units: readonly DurationUnit[], short = false): string {
  if (value === null) return 'Not set';
  const { amount, factor } = durationDraft(value, units);
  const unit = units.find((u) => u.factor === factor)!;
  const label = amount === '1' ? unit.label.replace(/s$/, '') : unit.label;
  const base = units[0]!.label;
  return factor === 1 || short ? `${amount} ${label}` : `${amount} ${label} (${value} ${base})`;
}

/**
 * A server range message about a duration, with the range also in readable units:
 * `… from 60 to 86400` → `… from 60 to 86400 (1 minute to 1 day)`.
 *
 * @example
 * ```ts
 * withReadableRange('needs a whole number from 60 to 86400', SECOND_UNITS)
 * ```
 */
export function withReadableRange(message: string, units: readonly DurationUnit[]): string {
  const m = /from (\d+) to (\d+)/.exec(message);
  if (!m) return message;
  const [low, high] = [Number(m[1]), Number(m[2])].map((n) => formatDuration(n, units, true));
  return `${message} (${low} to ${high})`;
}
