import { useId, useRef, useState } from 'react';

/**
 * A read-only text field with a Copy button next to it. Uses the Clipboard API and falls back to
 * selecting the text and `execCommand('copy')` where that is unavailable (plain HTTP).
 *
 * @example
 * ```tsx
 * <CopyField label="Secret key" value={secret} />
 * ```
 */
export function CopyField({
  label,
  value,
  buttonLabel = 'Copy',
  buttonName,
  multiline = false,
}: {
  label: string;
  value: string;
  buttonLabel?: string;
  /** The button's accessible name when several Copy buttons share one dialog; contains the visible label. */
  buttonName?: string;
  /** Long values (a command line) wrap in a read-only text area instead of scrolling in one line. */
  multiline?: boolean;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [status, setStatus] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('Copied');
    } catch {
      input.current?.select();
      setStatus(document.execCommand('copy') ? 'Copied' : 'Select the text and copy it');
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        {multiline ? (
          <textarea
            id={id}
            ref={input}
            readOnly
            value={value}
            rows={4}
            spellCheck={false}
            onFocus={(e) => e.target.select()}
          />
        ) : (
          <input
            id={id}
            ref={input}
            readOnly
            value={value}
            spellCheck={false}
            onFocus={(e) => e.target.select()}
          />
        )}
        <button type="button" aria-label={buttonName} onClick={() => void copy()}>
          {buttonLabel}
        </button>
        <span role="status" className="copy-status">
          {status}
        </span>
      </div>
    </div>
  );
}
