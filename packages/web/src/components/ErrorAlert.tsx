/**
 * An error message in an element with role `alert`, so screen readers announce it; renders nothing
 * without a message.
 *
 * @example
 * ```tsx
 * <ErrorAlert message={error} />
 * ```
 */
export function ErrorAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}
