import { useCallback, useEffect, useState } from 'react';
import { readableError } from './api.js';

/** A list a page shows, with its loading error, a reload, and a runner for row actions. */
export interface ListState<T> {
  items: T[] | undefined;
  error: string | undefined;
  setError: (message: string | undefined) => void;
  reload: () => Promise<void>;
  /** Runs `work`, shows its error (readable) if it fails, then reloads the list either way. */
  act: (work: () => Promise<unknown>) => Promise<void>;
}

/**
 * Loads a list on mount through `load` and keeps it fresh after actions; errors become readable
 * sentences for an `ErrorAlert`.
 *
 * @example
 * ```tsx
 * const { items, error, act } = useList(() => api.serviceAccounts.list())
 * ```
 */
export function useList<T>(load: () => Promise<T[]>): ListState<T> {
  const [items, setItems] = useState<T[]>();
  const [error, setError] = useState<string>();
  // The loader is fixed for the page's life; keeping the first one avoids reloading every render.
  const [loader] = useState(() => load);
  const reload = useCallback(async () => {
    try {
      setItems(await loader());
    } catch (err) {
      setError(readableError(err));
    }
  }, [loader]);
  useEffect(() => void reload(), [reload]);
  const act = useCallback(
    async (work: () => Promise<unknown>) => {
      setError(undefined);
      try {
        await work();
      } catch (err) {
        setError(readableError(err));
      }
      await reload();
    },
    [reload],
  );
  return { items, error, setError, reload, act };
}
