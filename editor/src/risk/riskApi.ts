import type { DryRunResult, RulesDraftView, RulesVersionView, ScheduleStatusView } from '../../../contract/risk';
import type { RiskRules } from '../../../playbooks/risk/rules';
import { request } from '../api';

/** The rules page's calls (server/routes/risk.ts). */
export const riskApi = {
  rules: (signal?: AbortSignal) => request<RulesDraftView>('/api/risk/rules', { signal }),
  versions: (signal?: AbortSignal) => request<{ versions: RulesVersionView[] }>('/api/risk/rules/versions', { signal }),
  saveDraft: (rules: RiskRules, revision: number) => request<RulesDraftView>('/api/risk/rules/draft', { method: 'PUT', body: { rules, revision } }),
  publish: (note: string) => request<{ version: number }>('/api/risk/rules/publish', { method: 'POST', body: { note } }),
  /** One part of a dry run: continue `after` the previous part's `next`, as of its `asOf` (editor/src/risk/dryRunPages.ts adds them up). */
  dryRun: (rules: RiskRules, opts: { asOf?: string; after?: string; limit: number; signal?: AbortSignal }) =>
    request<DryRunResult>('/api/risk/rules/dry-run', {
      method: 'POST',
      body: { rules, limit: opts.limit, ...(opts.asOf ? { asOf: opts.asOf } : {}), ...(opts.after ? { after: opts.after } : {}) },
      signal: opts.signal,
    }),
  schedule: (signal?: AbortSignal) => request<ScheduleStatusView>('/api/risk/schedule', { signal }),
  pause: (note: string) => request('/api/risk/schedule/pause', { method: 'POST', body: { note } }),
  unpause: () => request('/api/risk/schedule/unpause', { method: 'POST' }),
  runNow: () => request('/api/risk/schedule/run-now', { method: 'POST' }),
  backfill: (from: string, to: string) => request('/api/risk/schedule/backfill', { method: 'POST', body: { from, to } }),
};

export const canManageRules = (role: string): boolean => role === 'ops_manager' || role === 'admin';
