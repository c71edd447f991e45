/**
 * What the audit routes send (contract/attempts.ts, contract/audit.ts), inferred from the contract's
 * schemas; below them, the attempt search's own form state.
 */
export type { Attempt, AttemptDetail, AttemptStatus, AttemptTask } from '../../../contract/attempts';
export type { AttemptStory, ChainVerdict, OpenTask, PathCounts, ReplayVerdict, Snapshot, TimelineEvent } from '../../../contract/audit';

export interface AttemptFilters {
  customerId: string;
  status: string;
  playbook: string;
  version: string;
  outcome: string;
  /** Local dates, `YYYY-MM-DD`; both days count. */
  from: string;
  to: string;
  actor: string;
}

export const EMPTY_FILTERS: AttemptFilters = { customerId: '', status: '', playbook: '', version: '', outcome: '', from: '', to: '', actor: '' };
