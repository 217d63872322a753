import { useEffect, useState } from 'react';
import { apiFetch } from '../sync/api';
import { useOnline } from './use-online';

/**
 * What the server answers at `path` now (nothing asked while it is null), checked against `schema`; read
 * again when the path or `reload` changes, or the network comes back. For
 * the admin's screens, which show the server's records as they are and are
 * not kept offline (the dashboards keep theirs: dashboard/use-figures.ts).
 */
export function useFetched<T>(path: string | null, schema: { parse(body: unknown): T }, reload = 0): { data: T | null; error: string | null } {
  const online = useOnline();
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    if (!online || path === null) return;
    let current = true;
    apiFetch(path)
      .then((body) => current && setState({ data: schema.parse(body), error: null }))
      .catch((err: Error) => current && setState((s) => ({ ...s, error: err.message })));
    return () => {
      current = false;
    };
    // `schema` is a module constant at every call site.
  }, [path, reload, online]);
  return state;
}
