import { useCallback, useEffect, useRef, useState } from 'react';
import { readableError } from '../api.js';

/** Page size the tree asks for; the API allows at most 500 per request. */
export const PAGE_SIZE = 50;

/** One page of a server-paged list: its items and, when there are more, the offset of the next page. */
export interface Page<T> {
  items: T[];
  next?: number;
}

/** What {@link usePagedList} gives a component. */
export interface PagedList<T> {
  items: T[] | undefined;
  hasMore: boolean;
  loading: boolean;
  error: string | undefined;
  loadMore: () => Promise<void>;
  reload: () => Promise<void>;
  replace: (item: T) => void;
}

/**
 * A list the server pages (`offset`, `limit`, `next`): the first page on mount and whenever `key`
 * changes, more on request, and a reload that fetches again as many items as were shown.
 *
 * @example
 * ```tsx
 * const list = usePagedList((offset, limit) =>
 *   api.departments.list({ offset, limit }).then((b) => ({ items: b.departments, next: b.next })), 'all')
 * ```
 */
export function usePagedList<T extends { id: string }>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  key: string,
): PagedList<T> {
  const [items, setItems] = useState<T[]>();
  const [next, setNext] = useState<number>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  // The latest fetcher without making every render a new reload (callers pass inline functions).
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const shown = useRef(0);

  const reload = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      let all: T[] = [];
      let offset: number | undefined = 0;
      // Refetch as many as were shown, so a reload after an edit does not fold the list back.
      const want = Math.max(shown.current, 1);
      while (offset !== undefined && all.length < want) {
        const page: Page<T> = await fetchRef.current(offset, PAGE_SIZE);
        all = all.concat(page.items);
        offset = page.next;
      }
      shown.current = all.length;
      setItems(all);
      setNext(offset);
    } catch (err) {
      setError(readableError(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    shown.current = 0;
    void reload();
  }, [reload, key]);

  const loadMore = useCallback(async () => {
    if (next === undefined) return;
    setLoading(true);
    setError(undefined);
    try {
      const page = await fetchRef.current(next, PAGE_SIZE);
      setItems((prev) => {
        const seen = new Set((prev ?? []).map((i) => i.id));
        const merged = [...(prev ?? []), ...page.items.filter((i) => !seen.has(i.id))];
        shown.current = merged.length;
        return merged;
      });
      setNext(page.next);
    } catch (err) {
      setError(readableError(err));
    } finally {
      setLoading(false);
    }
  }, [next]);

  const replace = useCallback(
    (item: T) => setItems((prev) => prev?.map((i) => (i.id === item.id ? item : i))),
    [],
  );

  return { items, hasMore: next !== undefined, loading, error, loadMore, reload, replace };
}
