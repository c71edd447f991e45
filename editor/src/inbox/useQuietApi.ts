import { useEffect, useRef, useState } from 'react';

export type QuietLoadable<T> =
  { status: 'loading' } | { status: 'ok'; data: T; reloading: boolean; reloadError: unknown } | { status: 'error'; error: unknown };

/**
 * Like useApi, but a bump of `seq` reloads quietly: what is shown stays (and so do half-filled
 * forms below it) until the new answer arrives. A change of `key` starts over with a spinner.
 */
export function useQuietApi<T>(load: (signal: AbortSignal) => Promise<T>, key: string, seq: number): QuietLoadable<T> {
  const [state, setState] = useState<QuietLoadable<T>>({ status: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  const lastKey = useRef<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    const fresh = lastKey.current !== key;
    lastKey.current = key;
    setState((s) => (fresh || s.status !== 'ok' ? { status: 'loading' } : { ...s, reloading: true }));
    loadRef.current(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ status: 'ok', data, reloading: false, reloadError: null });
      },
      (error: unknown) => {
        if (ctrl.signal.aborted) return;
        // A failed quiet reload keeps the last good data; a 404 means it is gone, so say so.
        setState((s) => (s.status === 'ok' && !isNotFound(error) ? { ...s, reloading: false, reloadError: error } : { status: 'error', error }));
      },
    );
    return () => ctrl.abort();
  }, [key, seq]);

  return state;
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 404;
}
