import { ApiError, request } from '../api';
import { readerTimeZone } from '../format';
import type { Attempt, AttemptDetail, AttemptStory, ChainVerdict, ReplayVerdict, AttemptFilters } from './types';

const enc = encodeURIComponent;

/** A local calendar day (`YYYY-MM-DD`) as the instant it starts, in ISO form; null if not a date. */
export function dayStart(day: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The attempt search's query string; the "to" day is inclusive, so it becomes the next day's start. */
export function attemptsQuery(f: AttemptFilters, limit = 200): string {
  const p = new URLSearchParams();
  const text = (key: string, value: string) => {
    const v = value.trim();
    if (v) p.set(key, v);
  };
  text('customerId', f.customerId);
  text('status', f.status);
  text('playbook', f.playbook);
  if (/^\d+$/.test(f.version.trim()) && Number(f.version) > 0) p.set('version', f.version.trim());
  text('outcome', f.outcome);
  const from = dayStart(f.from);
  const to = dayStart(f.to, 1);
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  text('actor', f.actor);
  p.set('limit', String(limit));
  return p.toString();
}

/** `?tz=<the browser's zone>`: moments inside timeline lines and the report read as the reader's local time. */
function zoneQuery(): string {
  const tz = readerTimeZone();
  return tz ? `?tz=${enc(tz)}` : '';
}

export const auditApi = {
  searchAttempts: async (filters: AttemptFilters, signal?: AbortSignal) =>
    (await request<{ runs: Attempt[] }>(`/api/attempts?${attemptsQuery(filters)}`, { signal })).runs,

  attempt: (id: string, signal?: AbortSignal) => request<AttemptDetail>(`/api/attempts/${enc(id)}`, { signal }),

  story: (id: string, signal?: AbortSignal) => request<AttemptStory>(`/api/attempts/${enc(id)}/timeline${zoneQuery()}`, { signal }),

  replay: (id: string) => request<ReplayVerdict>(`/api/attempts/${enc(id)}/replay`),

  replayHistory: (history: unknown) => request<ReplayVerdict>('/api/replay', { method: 'POST', body: history }),

  verifyChain: () => request<ChainVerdict>('/api/audit/verify'),

  customerName: async (id: string, signal?: AbortSignal) =>
    (await request<{ customer: { name: string } }>(`/api/customers/${enc(id)}`, { signal })).customer.name,

  reportUrl: (id: string) => `/api/attempts/${enc(id)}/report${zoneQuery()}`,

  /** The evidence bundle exactly as the server sent it, saved as `recovery-attempt-<id>.json`. */
  async downloadExport(id: string): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`/api/attempts/${enc(id)}/export`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    } catch {
      throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new ApiError(res.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `${res.status} ${res.statusText || 'export failed'}`);
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `recovery-attempt-${id}.json`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    // Give the browser a moment to start the download before the URL goes away.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

/** Reads an uploaded file as a Temporal CLI history (`{events:[...]}`), or says why it is not one. */
export async function readHistoryFile(file: File): Promise<{ history: { events: unknown[] } } | { problem: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    return { problem: `${file.name} is not JSON. Export the history with \`temporal workflow show --output json\`.` };
  }
  const events = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as { events?: unknown }).events : undefined;
  if (!Array.isArray(events) || events.length === 0)
    return { problem: `${file.name} has no "events" list; it does not look like a Temporal workflow history.` };
  return { history: parsed as { events: unknown[] } };
}
