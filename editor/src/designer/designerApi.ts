import { api, ApiError, request, requestWithHeaders } from '../api';
import type { Problem } from '../../../contract/common';
import type { DraftSaved, PlaybookDetail, PlaybookGraph, Published } from '../../../contract/playbooks';
import type { StartedAttempt } from '../../../contract/attempts';
import type { Customer } from '../../../contract/customers';

export type { Customer, StartedAttempt };

/** The designer's calls; drafts travel with their revision as an ETag so a stale save gets a 412. */
const enc = encodeURIComponent;

export interface DraftDoc {
  name: string;
  description: string;
  graph: PlaybookGraph;
}

export interface LoadedPlaybook {
  detail: PlaybookDetail;
  etag: string;
}

/** What a 412 says about the newer draft that is on the server. */
export interface DraftConflict {
  currentRevision: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

const etagOr = (headers: Headers, revision: number) => headers.get('etag') ?? `"${revision}"`;

export async function loadPlaybook(key: string, signal?: AbortSignal, ignoreUnauthorized = false): Promise<LoadedPlaybook> {
  const { body, headers } = await requestWithHeaders<PlaybookDetail>(`/api/playbooks/${enc(key)}`, { signal, ignoreUnauthorized });
  return { detail: body, etag: etagOr(headers, body.draft.revision) };
}

/** A draft fetched while the session is still being checked, for the designer the page opens on. */
let prefetched: { key: string; at: number; loaded: Promise<LoadedPlaybook> } | null = null;
/** Older than this, a prefetched draft is not trusted to still be the latest (the page reloads it). */
const PREFETCH_FRESH_MS = 10_000;

/** Starts loading `key`'s draft now, beside the session check, for the designer's first render. */
export function prefetchPlaybook(key: string): void {
  const loaded = loadPlaybook(key, undefined, true);
  // Kept for `openPlaybook`; a failure (signed out, offline) only means the page fetches itself.
  loaded.catch(() => undefined);
  prefetched = { key, at: Date.now(), loaded };
}

/** The designer's draft: the prefetched one when it is for this key, recent, and arrived; else a fresh request. */
export function openPlaybook(key: string, signal: AbortSignal): Promise<LoadedPlaybook> {
  const early = prefetched;
  prefetched = null;
  if (!early || early.key !== key || Date.now() - early.at > PREFETCH_FRESH_MS) return loadPlaybook(key, signal);
  return early.loaded.catch(() => loadPlaybook(key, signal));
}

/** `etag` null creates the playbook (first save); otherwise the save is refused if the draft moved on. */
export async function saveDraft(key: string, doc: DraftDoc, etag: string | null): Promise<{ revision: number; etag: string; problems: Problem[] }> {
  const { body, headers } = await requestWithHeaders<DraftSaved>(`/api/playbooks/${enc(key)}/draft`, {
    method: 'PUT',
    body: doc,
    headers: etag ? { 'if-match': etag } : {},
  });
  return { revision: body.revision, etag: etagOr(headers, body.revision), problems: body.problems };
}

export function conflictOf(e: unknown): DraftConflict | null {
  if (!(e instanceof ApiError) || e.status !== 412) return null;
  const d = (e.details ?? {}) as Partial<DraftConflict>;
  return { currentRevision: Number(d.currentRevision), updatedBy: d.updatedBy ?? null, updatedAt: d.updatedAt ?? null };
}

export type PublishResult = Published;

export function publish(key: string): Promise<PublishResult> {
  return request<PublishResult>(`/api/playbooks/${enc(key)}/publish`, { method: 'POST' });
}

export async function versionGraph(key: string, version: number, signal?: AbortSignal): Promise<PlaybookGraph> {
  return (await api.getVersion(key, version, signal)).graph;
}

export async function listCustomers(signal?: AbortSignal): Promise<Customer[]> {
  return (await request<{ customers: Customer[] }>('/api/customers', { signal })).customers;
}

export function startAttempt(playbookKey: string, version: number, customerId: string): Promise<StartedAttempt> {
  return request<StartedAttempt>('/api/attempts', { method: 'POST', body: { playbookKey, version, customerId } });
}

/** True when no playbook has this key yet (creating must never overwrite someone's playbook). */
export async function keyIsFree(key: string): Promise<boolean> {
  try {
    await request<unknown>(`/api/playbooks/${enc(key)}`);
    return false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return true;
    throw e;
  }
}
