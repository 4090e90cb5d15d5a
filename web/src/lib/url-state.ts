import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

type Patch<K extends string> = Partial<Record<K | 'page' | 'pageSize', string | number | null | undefined>>;

/**
 * Table filters kept in the URL query string, so a filtered list can be bookmarked and shared.
 * Changing any filter but the page sends the list back to page 1.
 */
export function useUrlFilters<K extends string>(keys: readonly K[], defaultPageSize = 20) {
  const [params, setParams] = useSearchParams();

  const values = useMemo(() => {
    const out = {} as Record<K, string | undefined>;
    for (const key of keys) out[key] = params.get(key) || undefined;
    return out;
  }, [params, keys]);

  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || defaultPageSize));

  const update = useCallback(
    (patch: Patch<K>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          let filterChanged = false;
          for (const [key, value] of Object.entries(patch) as [string, string | number | null | undefined][]) {
            if (key !== 'page' && key !== 'pageSize') filterChanged = true;
            if (value === undefined || value === null || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          if (filterChanged && !('page' in patch)) next.delete('page');
          return next;
        },
        { replace: false },
      );
    },
    [setParams],
  );

  const reset = useCallback(() => {
    setParams(new URLSearchParams());
  }, [setParams]);

  return { values, page, pageSize, update, reset, params };
}
