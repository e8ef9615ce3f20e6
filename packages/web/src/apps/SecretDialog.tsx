import { CopyField } from '../components/CopyField.js';
import { Dialog } from '../components/Dialog.js';

/**
 * The one and only showing of an application's secret key (at creation or regeneration). Once
 * closed, the secret is gone from the page; the server cannot show it again either.
 */
export function SecretDialog({
  name,
  secret,
  onClose,
}: {
  name: string;
  secret: string;
  onClose: () => void;
}) {
  return (
    <Dialog title={`Secret key of ${name}`} onClose={onClose}>
      <p className="warning">
        <strong>Copy the secret key now.</strong> This is the only time it is shown: it cannot be displayed
        again, only regenerated. Store it like a password.
      </p>
      <CopyField label="Application name" value={name} buttonLabel="Copy name" />
      <CopyField label="Secret key" value={secret} />
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
