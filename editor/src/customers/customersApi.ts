import type { StartedAttempt } from '../../../contract/attempts';
import type { Customer } from '../../../contract/customers';
import type { PlaybookOverview, PlaybookOverviewItem } from '../../../contract/playbookLifecycle';
import { api, request } from '../api';
import type { StartVariable } from './startVariables';

export type { Customer, PlaybookOverviewItem, StartedAttempt };

/** The start form's values as the API takes them: text, numbers and flags; left out when empty. */
export type StartValues = Record<string, string | number | boolean>;

export const customersApi = {
  /** Customers within reach whose name or id holds `q`; the server caps the list. */
  search: async (q: string, signal?: AbortSignal) =>
    (await request<{ customers: Customer[] }>(`/api/customers?${new URLSearchParams({ q: q.slice(0, 100), limit: '20' }).toString()}`, { signal })).customers,

  /** Every playbook by name, archived ones too: an old attempt's playbook may be archived since. */
  playbooks: async (signal?: AbortSignal) => (await request<PlaybookOverview>('/api/playbook-overview?archived=include', { signal })).playbooks,

  /** The variables the published version's start step declares (its compiled plan holds the config). */
  startVariables: async (key: string, version: number, signal?: AbortSignal): Promise<StartVariable[]> => {
    const published = await api.getVersion(key, version, signal);
    const plan = published.plan as { startNodeId?: string; nodes?: Record<string, { config?: { variables?: StartVariable[] } }> } | null;
    return (plan?.startNodeId && plan.nodes?.[plan.startNodeId]?.config?.variables) || [];
  },

  /** `idempotencyKey`: the same for a retry of the same start, so a double click starts one attempt. */
  start: (body: { playbookKey: string; version: number; customerId: string; variables: StartValues }, idempotencyKey: string) =>
    request<StartedAttempt>('/api/attempts', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
};
