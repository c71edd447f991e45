import { request } from '../api';
import type { ArchiveState, Deleted, Duplicated, PlaybookOverview, PlaybookOverviewItem } from '../../../contract/playbookLifecycle';

export type { PlaybookOverviewItem };
export type ArchivedFilter = 'exclude' | 'include' | 'only';

/** The playbook list's calls (server/routes/playbookLifecycle.ts). */
const enc = encodeURIComponent;

export async function loadOverview(query: { q: string; archived: ArchivedFilter }, signal?: AbortSignal): Promise<PlaybookOverviewItem[]> {
  const params = new URLSearchParams({ archived: query.archived });
  if (query.q.trim()) params.set('q', query.q.trim());
  return (await request<PlaybookOverview>(`/api/playbook-overview?${params.toString()}`, { signal })).playbooks;
}

export const archivePlaybook = (key: string) => request<ArchiveState>(`/api/playbooks/${enc(key)}/archive`, { method: 'POST' });
export const unarchivePlaybook = (key: string) => request<ArchiveState>(`/api/playbooks/${enc(key)}/unarchive`, { method: 'POST' });
export const duplicatePlaybook = (key: string, copy: { key?: string; name?: string } = {}) =>
  request<Duplicated>(`/api/playbooks/${enc(key)}/duplicate`, { method: 'POST', body: copy });
export const deletePlaybook = (key: string) => request<Deleted>(`/api/playbooks/${enc(key)}`, { method: 'DELETE' });
