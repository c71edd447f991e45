import { useMemo, useSyncExternalStore } from 'react';
import type { Department, DepartmentList } from '../../contract/departments';
import { request } from './api';
import { humanize } from './format';

/**
 * The department directory (GET /api/departments), fetched once per page load and shared by every
 * screen, so a department reads as "After-sales service", never `after_sales`. Until it arrives (or
 * if it cannot be read) an id is shown in words, which is not worth an error box.
 */
let loaded: readonly Department[] | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

/** Starts loading the directory (once): the app does so on signing in, so screens rarely show an id in words first. */
export function preloadDepartments(): void {
  load();
}

function load(): void {
  loading ??= request<DepartmentList>('/api/departments').then(
    (body) => {
      loaded = body.departments;
      for (const notify of listeners) notify();
    },
    () => {
      // Asked again by the next screen that needs it.
      loading = null;
    },
  );
}

function subscribe(notify: () => void): () => void {
  listeners.add(notify);
  load();
  return () => listeners.delete(notify);
}

export interface Departments {
  /** Every department, by name; empty until loaded. */
  list: readonly Department[];
  loaded: boolean;
  /** The department's name; an unknown id (or one not loaded yet) in words. */
  name(id: string): string;
}

export function useDepartments(): Departments {
  const list = useSyncExternalStore(subscribe, () => loaded);
  return useMemo(() => {
    const byId = new Map((list ?? []).map((d) => [d.id, d.name]));
    return { list: list ?? [], loaded: list !== null, name: (id: string) => byId.get(id) ?? humanize(id) };
  }, [list]);
}
