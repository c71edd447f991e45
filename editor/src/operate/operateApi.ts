import { request } from '../api';
import type {
  BatchBody,
  BatchCreated,
  BatchDetail,
  BatchList,
  CancelBody,
  IncidentList,
  IncidentResolved,
  MigrateBody,
  MigrationBody,
  MigrationPlan,
  MigrationVerdict,
  MoveBody,
  OperateCounts,
  OperateFilter,
  OperateList,
  OperationApplied,
  OperationHistory,
  SavedView,
  SavedViewList,
  VariableBody,
} from './types';

const enc = encodeURIComponent;

/** The filter as a query string, leaving out what is unset (the server reads absent as "any"). */
export function filterQuery(filter: OperateFilter, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filter, ...extra })) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export const operateApi = {
  list: (filter: OperateFilter, page: { limit: number; offset: number }, signal?: AbortSignal) =>
    request<OperateList>(`/api/operate/attempts${filterQuery(filter, page)}`, { signal }),
  counts: (playbook: string, signal?: AbortSignal) => request<OperateCounts>(`/api/operate/counts?playbook=${enc(playbook)}`, { signal }),
  views: (signal?: AbortSignal) => request<SavedViewList>('/api/operate/views', { signal }),
  saveView: (name: string, filter: OperateFilter) => request<SavedView>('/api/operate/views', { method: 'POST', body: { name, filter } }),
  deleteView: (id: string) => request<unknown>(`/api/operate/views/${enc(id)}`, { method: 'DELETE' }),
  incidents: (signal?: AbortSignal) => request<IncidentList>('/api/operate/incidents?open=true', { signal }),
  history: (attemptId: string, signal?: AbortSignal) => request<OperationHistory>(`/api/attempts/${enc(attemptId)}/operations`, { signal }),
  plan: (key: string, from: number, to: number, signal?: AbortSignal) =>
    request<MigrationPlan>(`/api/playbooks/${enc(key)}/migration?from=${from}&to=${to}`, { signal }),

  cancel: (attemptId: string, body: CancelBody) => request<OperationApplied>(`/api/attempts/${enc(attemptId)}/cancel`, { method: 'POST', body }),
  move: (attemptId: string, body: MoveBody) => request<OperationApplied>(`/api/attempts/${enc(attemptId)}/move`, { method: 'POST', body }),
  setVariable: (attemptId: string, body: VariableBody) => request<OperationApplied>(`/api/attempts/${enc(attemptId)}/variables`, { method: 'POST', body }),
  resolveIncident: (attemptId: string, incidentId: string, action: 'retry' | 'skip', reason: string) =>
    request<IncidentResolved>(`/api/attempts/${enc(attemptId)}/incidents/${enc(incidentId)}/${action}`, { method: 'POST', body: { reason } }),
  dryRun: (attemptId: string, body: MigrationBody) => request<MigrationVerdict>(`/api/attempts/${enc(attemptId)}/migration/dry-run`, { method: 'POST', body }),
  migrate: (attemptId: string, body: MigrateBody) => request<OperationApplied>(`/api/attempts/${enc(attemptId)}/migrate`, { method: 'POST', body }),

  startBatch: (body: BatchBody) => request<BatchCreated>('/api/operate/batches', { method: 'POST', body }),
  batches: (signal?: AbortSignal) => request<BatchList>('/api/operate/batches', { signal }),
  batch: (id: string, page: { offset: number; limit: number; status?: string }, signal?: AbortSignal) =>
    request<BatchDetail>(`/api/operate/batches/${enc(id)}${filterQuery({}, page)}`, { signal }),
};
