/**
 * The Name field of a form that creates or edits something named; it takes the focus when its
 * dialog opens, as the name is what one types first.
 *
 * @example
 * ```tsx
 * <NameField value={name} onChange={setName} />
 * ```
 */
export function NameField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <label className="field">
      Name
      <input value={value} onChange={(e) => onChange(e.target.value)} autoFocus required autoComplete="off" />
    </label>
  );
}
