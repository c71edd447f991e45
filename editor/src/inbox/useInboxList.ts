import { useCallback, useEffect, useRef, useState } from 'react';
import { inboxApi } from './inboxApi';
import type { InboxCounts, InboxFilters, Task } from './types';

export const PAGE_SIZE = 25;
const MAX_LIMIT = 200;
const FRESH_MS = 5000;

interface ListState {
  status: 'loading' | 'ok' | 'error';
  tasks: Task[];
  counts: InboxCounts | null;
  nextCursor: string | null;
  error: unknown;
  loadingMore: boolean;
  /** A background refresh or "load more" failed; the list shown is what we had. */
  staleError: unknown;
}

export interface InboxList extends ListState {
  /** Tasks that arrived through a refresh in the last few seconds, to highlight. */
  fresh: ReadonlySet<string>;
  refresh: () => void;
  loadMore: () => void;
  retry: () => void;
}

const INITIAL: ListState = { status: 'loading', tasks: [], counts: null, nextCursor: null, error: null, loadingMore: false, staleError: null };

/**
 * The inbox list for a set of filters: a first page when the filters change, cursor pages on
 * "load more", and quiet refreshes (live events, own actions) that keep as many rows as are shown
 * and mark rows that were not there before.
 */
export function useInboxList(filters: InboxFilters): InboxList {
  const [state, setState] = useState<ListState>(INITIAL);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [attempt, setAttempt] = useState(0);
  // Every request takes a number; an answer is applied only if no newer request started since.
  const seq = useRef(0);
  const shown = useRef<Task[]>([]);
  const cursor = useRef<string | null>(null);
  const loaded = useRef(false);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const timers = useRef<number[]>([]);

  useEffect(() => () => timers.current.forEach((t) => window.clearTimeout(t)), []);

  useEffect(() => {
    const my = ++seq.current;
    const ctrl = new AbortController();
    shown.current = [];
    loaded.current = false;
    setState(INITIAL);
    setFresh(new Set());
    inboxApi.list(filters, { limit: PAGE_SIZE, signal: ctrl.signal }).then(
      (page) => {
        if (my !== seq.current) return;
        shown.current = page.tasks;
        cursor.current = page.nextCursor;
        loaded.current = true;
        setState({ ...INITIAL, status: 'ok', tasks: page.tasks, counts: page.counts, nextCursor: page.nextCursor });
      },
      (error: unknown) => {
        if (my === seq.current && !ctrl.signal.aborted) setState({ ...INITIAL, status: 'error', error });
      },
    );
    return () => ctrl.abort();
  }, [filters, attempt]);

  const markFresh = useCallback((ids: string[]) => {
    if (ids.length === 0) return;
    setFresh((prev) => new Set([...prev, ...ids]));
    const timer = window.setTimeout(() => {
      setFresh((prev) => new Set([...prev].filter((id) => !ids.includes(id))));
    }, FRESH_MS);
    timers.current.push(timer);
  }, []);

  const refresh = useCallback(() => {
    const my = ++seq.current;
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE_SIZE, shown.current.length));
    inboxApi.list(filtersRef.current, { limit }).then(
      (page) => {
        if (my !== seq.current) return;
        const before = new Set(shown.current.map((t) => t.id));
        const hadList = loaded.current;
        shown.current = page.tasks;
        cursor.current = page.nextCursor;
        loaded.current = true;
        setState({ ...INITIAL, status: 'ok', tasks: page.tasks, counts: page.counts, nextCursor: page.nextCursor });
        if (hadList) markFresh(page.tasks.filter((t) => !before.has(t.id)).map((t) => t.id));
      },
      (error: unknown) => {
        if (my === seq.current) setState((s) => (s.status === 'ok' ? { ...s, staleError: error } : s));
      },
    );
  }, [markFresh]);

  const loadMore = useCallback(() => {
    const after = cursor.current;
    if (!after) return;
    const my = ++seq.current;
    setState((s) => ({ ...s, loadingMore: true, staleError: null }));
    inboxApi.list(filtersRef.current, { cursor: after, limit: PAGE_SIZE }).then(
      (page) => {
        if (my !== seq.current) return;
        const known = new Set(shown.current.map((t) => t.id));
        shown.current = [...shown.current, ...page.tasks.filter((t) => !known.has(t.id))];
        cursor.current = page.nextCursor;
        setState({ ...INITIAL, status: 'ok', tasks: shown.current, counts: page.counts, nextCursor: page.nextCursor });
      },
      (error: unknown) => {
        if (my === seq.current) setState((s) => ({ ...s, loadingMore: false, staleError: error }));
      },
    );
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, fresh, refresh, loadMore, retry };
}
