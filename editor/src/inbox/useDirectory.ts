import { useEffect, useMemo, useState } from 'react';
import { inboxApi } from './inboxApi';
import type { DirectoryUser } from './types';

export interface Directory {
  list: DirectoryUser[];
  byId: ReadonlyMap<string, DirectoryUser>;
}

/**
 * People, for names ("Claimed by Rita Rep") and the reassign picker. Loaded once per inbox visit;
 * if it fails, ids are shown instead of names, which is not worth an error box.
 */
export function useDirectory(): Directory {
  const [list, setList] = useState<DirectoryUser[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    inboxApi.users(ctrl.signal).then(setList, () => undefined);
    return () => ctrl.abort();
  }, []);
  return useMemo(() => ({ list, byId: new Map(list.map((u) => [u.id, u])) }), [list]);
}
