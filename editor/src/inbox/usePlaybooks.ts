import { useEffect, useMemo, useState } from 'react';
import { api } from '../api';
import type { PlaybookSummary } from '../types';

export interface Playbooks {
  list: PlaybookSummary[];
  /** A playbook's name by key; rows fall back to the key while this loads or if it fails. */
  nameOf: (key: string) => string;
}

/** Playbooks for the filter and for showing names instead of keys. */
export function usePlaybooks(): Playbooks {
  const [list, setList] = useState<PlaybookSummary[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    api.listPlaybooks(ctrl.signal).then(setList, () => undefined);
    return () => ctrl.abort();
  }, []);
  return useMemo(() => {
    const names = new Map(list.map((p) => [p.key, p.name]));
    return { list, nameOf: (key: string) => names.get(key) ?? key };
  }, [list]);
}
