import { useEffect, useState } from 'react';

/**
 * The current path, updated on {@link navigate} and on back/forward.
 *
 * @example
 * ```tsx
 * const path = usePath()
 * ```
 */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

/** Goes to `path` inside the app without reloading. */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}
