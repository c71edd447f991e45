import { request } from '../api';
import type { ContactBody, ContactRecorded } from '../../../contract/customers';
import type { AnswerRecorded, HandoverPreview, HandoverResult, OpenAnswers, RecordAnswerBody, Workload } from '../../../contract/inbox';
import type { CompleteResult, CustomerFile, DirectoryUser, FormValue, InboxFilters, InboxPage, Note, Task, TaskDetail } from './types';

const enc = encodeURIComponent;

/** The inbox query string; empty filters are left out so the server applies its defaults. */
export function inboxQuery(filters: InboxFilters, extra: { cursor?: string | null; limit?: number } = {}): string {
  const params = new URLSearchParams();
  params.set('view', filters.view);
  params.set('status', filters.status);
  params.set('sort', filters.sort);
  if (filters.due) params.set('due', filters.due);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.tier) params.set('tier', filters.tier);
  if (filters.churnReason) params.set('churnReason', filters.churnReason);
  if (filters.playbook) params.set('playbook', filters.playbook);
  if (filters.holder) params.set('holder', filters.holder);
  const q = filters.q.trim();
  if (q) params.set('q', q.slice(0, 100));
  if (extra.cursor) params.set('cursor', extra.cursor);
  if (extra.limit) params.set('limit', String(extra.limit));
  return params.toString();
}

const post = <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} });

export const inboxApi = {
  list: (filters: InboxFilters, opts: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {}) =>
    request<InboxPage>(`/api/inbox?${inboxQuery(filters, opts)}`, { signal: opts.signal }),

  task: (id: string, signal?: AbortSignal) => request<TaskDetail>(`/api/tasks/${enc(id)}`, { signal }),

  claim: async (id: string) => (await post<{ task: Task }>(`/api/tasks/${enc(id)}/claim`)).task,

  unclaim: async (id: string) => (await post<{ task: Task }>(`/api/tasks/${enc(id)}/unclaim`)).task,

  /** `idempotencyKey`: the same for a retry of the same completion, so it is never applied twice. */
  complete: (id: string, outcome: string, form: Record<string, FormValue>, idempotencyKey: string) =>
    request<CompleteResult>(`/api/tasks/${enc(id)}/complete`, { method: 'POST', body: { outcome, form }, headers: { 'Idempotency-Key': idempotencyKey } }),

  addNote: (id: string, body: string) => post<Note>(`/api/tasks/${enc(id)}/notes`, { body }),

  snooze: async (id: string, until: string, note?: string) =>
    (await post<{ task: Task }>(`/api/tasks/${enc(id)}/snooze`, note ? { until, note } : { until })).task,

  reassign: async (id: string, userId: string | null, reason: string) =>
    (await post<{ task: Task }>(`/api/tasks/${enc(id)}/reassign`, { userId, reason })).task,

  users: async (signal?: AbortSignal) => (await request<{ users: DirectoryUser[] }>('/api/users', { signal })).users,

  customer: (id: string, signal?: AbortSignal) => request<CustomerFile>(`/api/customers/${enc(id)}`, { signal }),

  openAnswers: (attemptId: string, signal?: AbortSignal) => request<OpenAnswers>(`/api/attempts/${enc(attemptId)}/open-answers`, { signal }),

  recordAnswer: (attemptId: string, body: RecordAnswerBody) => post<AnswerRecorded>(`/api/attempts/${enc(attemptId)}/answers`, body),

  workload: (signal?: AbortSignal) => request<Workload>('/api/inbox/workload', { signal }),

  handoverPreview: (userId: string, to: string | null, signal?: AbortSignal) =>
    request<HandoverPreview>(`/api/users/${enc(userId)}/handover-preview${to ? `?to=${enc(to)}` : ''}`, { signal }),

  handover: (userId: string, toUserId: string | null, reason: string) => post<HandoverResult>(`/api/users/${enc(userId)}/handover`, { toUserId, reason }),

  recordContact: (customerId: string, contact: ContactBody) => post<ContactRecorded>(`/api/customers/${enc(customerId)}/contacts`, contact),
};
