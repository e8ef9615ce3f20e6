import { useId } from 'react';
import type { DurationDraft, DurationUnit } from './durations.js';

/**
 * A number with a unit picker, labelled `label` (the unit picker is "`label` unit").
 *
 * @example
 * ```tsx
 * <DurationInput label="Access token lifetime" units={SECOND_UNITS} value={d} onChange={setD} />
 * ```
 */
export function DurationInput({
  label,
  units,
  value,
  onChange,
  describedBy,
  invalid,
  optional,
}: {
  label: string;
  units: readonly DurationUnit[];
  value: DurationDraft;
  onChange: (value: DurationDraft) => void;
  describedBy?: string;
  invalid?: boolean;
  optional?: boolean;
}) {
  const id = useId();
  return (
    <div className="duration">
      <label htmlFor={id} className="setting-label">
        {label}
      </label>
      <div className="duration-row">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          step="any"
          value={value.amount}
          placeholder={optional ? 'None' : undefined}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(e) => onChange({ ...value, amount: e.target.value })}
        />
        <select
          aria-label={`${label} unit`}
          value={value.factor}
          onChange={(e) => onChange({ ...value, factor: Number(e.target.value) })}
        >
          {units.map((u) => (
            <option key={u.factor} value={u.factor}>
              {u.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
