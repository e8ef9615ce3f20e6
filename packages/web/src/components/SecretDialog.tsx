import { CopyField } from './CopyField.js';
import { Dialog } from './Dialog.js';

/** What the secret belongs to and how its owner is named when trading it for a token. */
export interface SecretOwner {
  /** Shown in the title: "Secret key of {name}". */
  name: string;
  /** The identifier to send with the secret: an application's name, a service account's client ID, … */
  idLabel: string;
  idValue: string;
  /** The accessible name of the identifier's Copy button; default "Copy {idLabel}". */
  idButton?: string;
}

/**
 * The one and only showing of a secret key (at creation or regeneration) with the identifier to
 * use it with. Once closed, the secret is gone from the page; the server cannot show it again either.
 *
 * @example
 * ```tsx
 * <SecretDialog owner={{ name: 'ci-bot', idLabel: 'Application name', idValue: 'ci-bot' }} secret={s} onClose={done} />
 * ```
 */
export function SecretDialog({
  owner,
  secret,
  expiresAt,
  onClose,
}: {
  owner: SecretOwner;
  secret: string;
  /** When the new secret itself stops working, if it was given an expiry. */
  expiresAt?: Date;
  onClose: () => void;
}) {
  return (
    <Dialog title={`Secret key of ${owner.name}`} onClose={onClose}>
      <p className="warning">
        <strong>Copy the secret key now.</strong> This is the only time it is shown: it cannot be displayed
        again, only regenerated. Store it like a password.
      </p>
      <CopyField
        label={owner.idLabel}
        value={owner.idValue}
        buttonLabel={owner.idButton ?? `Copy ${owner.idLabel}`}
      />
      <CopyField label="Secret key" value={secret} />
      {expiresAt && <p className="hint">This secret key expires on {expiresAt.toLocaleString()}.</p>}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
