import type { RotationOptions } from '@tessera/client';
import { useState } from 'react';
import { useSubmission } from '../useSubmission.js';
import { FormDialog } from './FormDialog.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** How long the current secret keeps working next to the new one (the API's `overlapSeconds`). */
const OVERLAPS = [
  { label: 'Stop it at once', seconds: 0 },
  { label: 'Keep it for 1 hour', seconds: HOUR },
  { label: 'Keep it for 1 day', seconds: DAY },
  { label: 'Keep it for 7 days', seconds: 7 * DAY },
  { label: 'Keep it for 30 days', seconds: 30 * DAY },
] as const;

/** When the new secret itself expires (the API's `expiresInSeconds`); undefined: never. */
const EXPIRIES = [
  { label: 'Never', seconds: undefined },
  { label: 'In 30 days', seconds: 30 * DAY },
  { label: 'In 90 days', seconds: 90 * DAY },
  { label: 'In 1 year', seconds: 365 * DAY },
] as const;

/** What a regeneration produced: the new secret and, if it has one, its expiry. */
export interface Regenerated {
  secret: string;
  expiresAt?: Date;
}

/**
 * Confirms a secret regeneration and lets the administrator choose a rotation: the current secret
 * may keep working for a while next to the new one (two secrets at once, so scripts can move over
 * without an outage), and the new secret may be given an expiry. `onRegenerate` may fail: its
 * error is shown and the dialog stays open.
 *
 * @example
 * ```tsx
 * <RegenerateSecretDialog name="ci-sa" onRegenerate={(o) => api.serviceAccounts.regenerateSecret(id, o)} … />
 * ```
 */
export function RegenerateSecretDialog({
  name,
  onRegenerate,
  onDone,
  onCancel,
}: {
  name: string;
  onRegenerate: (options: RotationOptions) => Promise<{ clientSecret: string }>;
  onDone: (result: Regenerated) => void;
  onCancel: () => void;
}) {
  const [overlap, setOverlap] = useState(0);
  const [expiry, setExpiry] = useState('');
  const { error, busy, submit } = useSubmission();
  const onSubmit = () =>
    void submit(async () => {
      const expiresInSeconds = expiry ? Number(expiry) : undefined;
      const started = Date.now();
      const { clientSecret } = await onRegenerate({
        overlapSeconds: overlap,
        ...(expiresInSeconds ? { expiresInSeconds } : {}),
      });
      onDone({
        secret: clientSecret,
        ...(expiresInSeconds ? { expiresAt: new Date(started + expiresInSeconds * 1000) } : {}),
      });
    });
  return (
    <FormDialog
      title={`Regenerate the secret of ${name}?`}
      submitLabel="Regenerate"
      error={error}
      busy={busy}
      onSubmit={onSubmit}
      onClose={onCancel}
    >
      <p>
        A new secret key is made and shown once.{' '}
        {overlap === 0
          ? 'The current secret key and every token obtained with it stop working at once.'
          : 'The current secret key keeps working until the chosen time, so scripts can move to the new one; any older secret stops now.'}
      </p>
      <label className="field">
        Current secret key
        <select value={overlap} onChange={(e) => setOverlap(Number(e.target.value))}>
          {OVERLAPS.map((o) => (
            <option key={o.seconds} value={o.seconds}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        New secret key expires
        <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRIES.map((o) => (
            <option key={o.label} value={o.seconds ?? ''}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
    </FormDialog>
  );
}
