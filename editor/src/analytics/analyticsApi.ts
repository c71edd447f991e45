import type { ExperimentReport, FailureAudit, OutcomeBreakdown, OutcomesReport, RateBreakdown, RatesReport, StepReport } from '../../../contract/analytics';
import { request } from '../api';

/** Query parameters without the empty ones, so a cleared filter is not sent as `?from=`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface MonthFilters {
  from: string;
  to: string;
}

const enc = encodeURIComponent;

/** Every table's path; `csv` gives the same table as a download. */
export const paths = {
  rates: (f: MonthFilters, breakdown: RateBreakdown, csv = false) => `/api/analytics/rates${query({ ...f, breakdown, format: csv ? 'csv' : undefined })}`,
  outcomes: (f: MonthFilters, breakdown: OutcomeBreakdown, playbook: string, csv = false) =>
    `/api/analytics/outcomes${query({ ...f, breakdown, playbook, format: csv ? 'csv' : undefined })}`,
  failures: (f: MonthFilters, csv = false) => `/api/analytics/failures${query({ ...f, format: csv ? 'csv' : undefined })}`,
  experiments: (playbook: string, csv = false) => `/api/analytics/experiments${query({ playbook, format: csv ? 'csv' : undefined })}`,
  steps: (key: string, f: { version?: number; from?: string; to?: string }, csv = false) =>
    `/api/analytics/playbooks/${enc(key)}/steps${query({ ...f, format: csv ? 'csv' : undefined })}`,
};

export const analyticsApi = {
  rates: (f: MonthFilters, breakdown: RateBreakdown, signal?: AbortSignal) => request<RatesReport>(paths.rates(f, breakdown), { signal }),
  outcomes: (f: MonthFilters, breakdown: OutcomeBreakdown, playbook: string, signal?: AbortSignal) =>
    request<OutcomesReport>(paths.outcomes(f, breakdown, playbook), { signal }),
  failures: (f: MonthFilters, signal?: AbortSignal) => request<FailureAudit>(paths.failures(f), { signal }),
  experiments: (playbook: string, signal?: AbortSignal) => request<ExperimentReport>(paths.experiments(playbook), { signal }),
  steps: (key: string, f: { version?: number; from?: string; to?: string }, signal?: AbortSignal) => request<StepReport>(paths.steps(key, f), { signal }),
};
