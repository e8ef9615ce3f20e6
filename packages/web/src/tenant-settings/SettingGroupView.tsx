import { useId } from 'react';
import { DurationInput } from './DurationInput.js';
import { durationValue, formatDuration, type DurationDraft } from './durations.js';
import type { Drafts, Field, FieldDraft, SettingGroup } from './setting-groups.js';

/** The server's descriptions mark names with backticks (`expiresIn`): show those as code. */
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part));
}

function readOnly(field: Field, draft: FieldDraft | undefined): string {
  switch (field.kind) {
    case 'boolean':
      return draft === true ? 'On' : 'Off';
    case 'duration':
      return formatDuration(durationValue(draft as DurationDraft), field.units);
    case 'number':
      return `${String(draft)}${field.suffix ? ` ${field.suffix}` : ''}`;
    case 'text':
      return String(draft ?? '') || 'Not set';
  }
}

function Input(props: {
  field: Field;
  draft: FieldDraft | undefined;
  describedBy: string;
  invalid: boolean;
  onChange: (value: FieldDraft) => void;
}) {
  const { field, draft, describedBy, invalid, onChange } = props;
  const aria = { 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined };
  switch (field.kind) {
    case 'boolean':
      return (
        <label className="setting-check">
          <input
            type="checkbox"
            checked={draft === true}
            {...aria}
            onChange={(e) => onChange(e.target.checked)}
          />
          {field.label}
        </label>
      );
    case 'duration':
      return (
        <DurationInput
          label={field.label}
          units={field.units}
          optional={field.optional}
          value={draft as DurationDraft}
          describedBy={describedBy}
          invalid={invalid}
          onChange={onChange}
        />
      );
    case 'number':
      return (
        <label className="field">
          {field.label}
          <span className="with-suffix">
            <input
              type="number"
              inputMode="numeric"
              value={String(draft)}
              {...aria}
              onChange={(e) => onChange(e.target.value)}
            />
            {field.suffix && <span className="hint">{field.suffix}</span>}
          </span>
        </label>
      );
    case 'text':
      return (
        <label className="field">
          {field.label}
          <input
            value={String(draft ?? '')}
            placeholder={field.placeholder}
            {...aria}
            onChange={(e) => onChange(e.target.value)}
          />
        </label>
      );
  }
}

/**
 * One setting: its label and description, then typed inputs when the subject may change it, or
 * its values as text when not. A refused save's message appears under it.
 *
 * @example
 * ```tsx
 * <SettingGroupView group={g} drafts={drafts} error={errors[g.id]} onChange={(id, v) => …} />
 * ```
 */
export function SettingGroupView({
  group,
  drafts,
  error,
  onChange,
}: {
  group: SettingGroup;
  drafts: Drafts;
  error: string | undefined;
  onChange: (fieldId: string, value: FieldDraft) => void;
}) {
  const id = useId();
  const describedBy = error ? `${id}-about ${id}-error` : `${id}-about`;
  const single = group.fields.length === 1 && group.fields[0]!.label === group.label;
  const about = (
    <p id={`${id}-about`} className="hint">
      {withCode(group.description)}
    </p>
  );
  return (
    <div className="setting" role="group" aria-labelledby={`${id}-label`}>
      {!single || !group.editable ? (
        <h3 id={`${id}-label`} className="setting-label">
          {group.label}
        </h3>
      ) : (
        <span id={`${id}-label`} hidden>
          {group.label}
        </span>
      )}
      {!(single && group.editable) && about}
      {group.editable ? (
        group.fields.map((f) => (
          <Input
            key={f.id}
            field={f}
            draft={drafts[f.id]}
            describedBy={describedBy}
            invalid={!!error}
            onChange={(v) => onChange(f.id, v)}
          />
        ))
      ) : (
        <dl className="setting-values">
          {group.fields.map((f) => (
            <div key={f.id}>
              {!single && <dt>{f.label}</dt>}
              <dd>{readOnly(f, drafts[f.id])}</dd>
            </div>
          ))}
        </dl>
      )}
      {single && group.editable && about}
      {error && (
        <p id={`${id}-error`} className="error field-error">
          {error}
        </p>
      )}
    </div>
  );
}
