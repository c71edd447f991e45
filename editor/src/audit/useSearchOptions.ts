import { useEffect, useMemo, useState } from 'react';
import { api, request } from '../api';
import type { PlaybookSummary } from '../types';

export interface SearchOptions {
  playbooks: PlaybookSummary[];
  customers: { id: string; name: string }[];
  customerName: (id: string) => string | null;
  playbookName: (key: string) => string | null;
}

/** Playbooks and customers, for the pickers and for names in the results; a failed list only costs the names. */
export function useSearchOptions(): SearchOptions {
  const [playbooks, setPlaybooks] = useState<PlaybookSummary[]>([]);
  const [customers, setCustomers] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    api.listPlaybooks(ctrl.signal).then(setPlaybooks, () => undefined);
    request<{ customers: { id: string; name: string }[] }>('/api/customers', { signal: ctrl.signal }).then(
      (r) => setCustomers(r.customers),
      () => undefined,
    );
    return () => ctrl.abort();
  }, []);
  return useMemo(() => {
    const byCustomer = new Map(customers.map((c) => [c.id, c.name]));
    const byPlaybook = new Map(playbooks.map((p) => [p.key, p.name]));
    return { playbooks, customers, customerName: (id) => byCustomer.get(id) ?? null, playbookName: (key) => byPlaybook.get(key) ?? null };
  }, [playbooks, customers]);
}
