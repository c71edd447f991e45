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
  TaskStatus,
} from '../../../contract/inbox';
export type { Assignee } from '../../../contract/common';
export type { Contact, ContactChannel, ContactKind, CustomerAttempt as Attempt, CustomerFile } from '../../../contract/customers';

export type FieldType = FormField['type'];
export type Tier = NonNullable<InboxQuery['tier']>;
export type ChurnReason = NonNullable<InboxQuery['churnReason']>;
export type InboxSort = InboxQuery['sort'];

/** The tabs the inbox shows (the API also has `team`). */
export type InboxView = 'all' | 'mine' | 'queue' | 'snoozed';

/** The filter bar's state: '' is "any". */
export interface InboxFilters {
  view: InboxView;
  status: InboxQuery['status'];
  due: '' | NonNullable<InboxQuery['due']>;
  priority: '' | Priority;
  tier: '' | Tier;
  churnReason: '' | ChurnReason;
  playbook: string;
  q: string;
  sort: InboxSort;
}
