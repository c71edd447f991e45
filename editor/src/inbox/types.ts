/**
 * What the inbox and customer routes send and take, inferred from the contract's schemas
 * (contract/inbox.ts, contract/customers.ts); below them, the inbox's own view state.
 */
import type { FormField, InboxQuery, Priority } from '../../../contract/inbox';

export type {
  CompleteResult,
  DirectoryUser,
  Escalation,
  FormField,
  FormValue,
  InboxCounts,
  InboxPage,
  Note,
  Priority,
  Task,
  TaskChange,
  TaskDetail,
  TaskPlace,
  TaskStatus,
  OpenStepAnswer,
  Workload,
  HandoverPreview,
} from '../../../contract/inbox';
export type { Assignee } from '../../../contract/common';
export type { Contact, ContactChannel, ContactKind, CustomerAttempt as Attempt, CustomerFile } from '../../../contract/customers';

export type FieldType = FormField['type'];
export type Tier = NonNullable<InboxQuery['tier']>;
export type ChurnReason = NonNullable<InboxQuery['churnReason']>;
export type InboxSort = InboxQuery['sort'];

/** The tabs the inbox shows; `team` is offered to managers. */
export type InboxView = 'all' | 'mine' | 'queue' | 'team' | 'snoozed';

/** The filter bar's state: '' is "any". */
export interface InboxFilters {
  view: InboxView;
  status: InboxQuery['status'];
  due: '' | NonNullable<InboxQuery['due']>;
  priority: '' | Priority;
  tier: '' | Tier;
  churnReason: '' | ChurnReason;
  playbook: string;
  /** Who holds the task (team view): a user id, `nobody`, or '' for anyone. */
  holder: string;
  q: string;
  sort: InboxSort;
}
