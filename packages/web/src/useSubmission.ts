import { useState } from 'react';
import { readableError } from './api.js';

/** A form's submission: whether it is running, and the error to show in the form. */
export interface Submission {
  error: string | undefined;
  /** Shows a problem found before submitting (a field's value), without submitting. */
  setError: (message: string | undefined) => void;
  busy: boolean;
  /**
   * Runs `work` with the form busy and its last error cleared. When `work` fails its error is
   * shown, readable, and the form may be submitted again; when it succeeds the form stays busy,
   * because `work` normally closes it.
   */
  submit: (work: () => Promise<void>) => Promise<void>;
}

/**
 * The busy flag and error of a dialog's form, so a double click submits once and a refusal shows
 * in the dialog, which stays open.
 *
 * @example
 * ```tsx
 * const { error, setError, busy, submit } = useSubmission()
 * const onSubmit = () => (problem ? setError(problem) : void submit(() => onCreate(name)))
 * ```
 */
export function useSubmission(): Submission {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(readableError(err));
      setBusy(false);
    }
  };
  return { error, setError, busy, submit };
}
