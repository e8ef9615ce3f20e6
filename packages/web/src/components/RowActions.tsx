/** One button in a table row's Actions cell. */
export interface RowAction {
  /** The button's text. */
  label: string;
  /** The button's accessible name; it names the row's subject, so the same action differs row to row. */
  ariaLabel: string;
  /** An action that destroys something. */
  danger?: boolean;
  onClick: () => void;
}

/**
 * A table row's Actions cell: a button per action, in the order given. An action given as `false`
 * (typically `mayDelete && deleteAction(…)`) is left out, so a page writes its permission checks
 * inline.
 *
 * @example
 * ```tsx
 * <RowActions
 *   actions={[
 *     mayUpdate && { label: 'Edit', ariaLabel: `Edit ${c.name}`, onClick: () => edit(c) },
 *     mayDelete && deleteAction(c.name, () => confirmDelete(c)),
 *   ]}
 * />
 * ```
 */
export function RowActions({ actions }: { actions: readonly (RowAction | false)[] }) {
  return (
    <td className="actions">
      {actions.map(
        (action, position) =>
          action && (
            // Keyed by position, not by label: Enable turns into Disable on the same button, which
            // keeps the keyboard focus it had when pressed.
            <button
              key={position}
              type="button"
              className={action.danger ? 'danger' : undefined}
              aria-label={action.ariaLabel}
              onClick={action.onClick}
            >
              {action.label}
            </button>
          ),
      )}
    </td>
  );
}

/**
 * Delete, for the row of `name`; the page confirms it in `onClick`.
 *
 * @example
 * ```ts
 * deleteAction('ci-bot', () => setPending({ kind: 'delete', app })) // "Delete", named "Delete ci-bot"
 * ```
 */
export function deleteAction(name: string, onClick: () => void): RowAction {
  return { label: 'Delete', ariaLabel: `Delete ${name}`, danger: true, onClick };
}

/**
 * Regenerate secret, for the row of `name` (applications, service accounts, access keys).
 *
 * @example
 * ```ts
 * regenerateSecretAction('laptop', () => setPending({ kind: 'regenerate', key }))
 * ```
 */
export function regenerateSecretAction(name: string, onClick: () => void): RowAction {
  return { label: 'Regenerate secret', ariaLabel: `Regenerate secret of ${name}`, onClick };
}

/**
 * Enable or Disable, whichever `subject` is not now.
 *
 * @example
 * ```ts
 * enabledToggleAction(sa, () => void act(() => api.serviceAccounts.setEnabled(sa.id, !sa.enabled)))
 * ```
 */
export function enabledToggleAction(
  subject: { name: string; enabled: boolean },
  onClick: () => void,
): RowAction {
  const verb = subject.enabled ? 'Disable' : 'Enable';
  return { label: verb, ariaLabel: `${verb} ${subject.name}`, onClick };
}

/**
 * Roles & projects: opens the access rules of the subject `name` (applications, service accounts).
 *
 * @example
 * ```ts
 * accessAction('ci-bot', () => setAccess(app))
 * ```
 */
export function accessAction(name: string, onClick: () => void): RowAction {
  return { label: 'Roles & projects', ariaLabel: `Roles and projects of ${name}`, onClick };
}
