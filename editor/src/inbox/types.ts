/** What the inbox and customer routes send, mirrored from the server's JSON contract. */

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type TaskStatus = 'open' | 'completed' | 'cancelled' | (string & {});
export type Tier = 'core' | 'high_potential' | 'ordinary' | 'churn_signs';
export type ChurnReason = 'A' | 'B' | 'C' | 'D';
export type FieldType = 'text' | 'textarea' | 'number' | 'money' | 'choice' | 'boolean' | 'date';
export type FormValue = string | number | boolean | null;

export interface Assignee {
  role: string;
  department: string | null;
  userId: string | null;
}

export interface FormField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options?: { value: string; label: string }[];
}

export interface Escalation {
  ofTaskKey: string;
  level: number;
  slaMissedAt: string;
  /** Who held the task whose SLA was missed. */
  assignee: Assignee;
}

export interface Task {
  id: string;
  attemptId: string;
  taskKey: string;
  nodeId: string;
  customer: { id: string; name: string | null; grade: string | null; value: number | null; churnReason: string | null };
  playbookKey: string;
  title: string;
  instructions: string;
  assignee: Assignee;
  claimedBy: string | null;
  priority: Priority;
  outcomes: { key: string; label: string }[];
  form: FormField[];
  status: TaskStatus;
  outcome: string | null;
  formData: Record<string, FormValue> | null;
  completedBy: string | null;
  dueAt: string | null;
  overdue: boolean;
  followUpAt: string | null;
  escalation: Escalation | null;
  createdAt: string;
  closedAt: string | null;
}

export interface InboxCounts {
  all: number;
  mine: number;
  queue: number;
  overdue: number;
  snoozed: number;
}

export interface InboxPage {
  tasks: Task[];
  nextCursor: string | null;
  counts: InboxCounts;
}

export type InboxView = 'all' | 'mine' | 'queue' | 'snoozed';
export type InboxSort = 'due' | 'priority' | 'created';

export interface InboxFilters {
  view: InboxView;
  status: 'open' | 'completed' | 'cancelled';
  due: '' | 'overdue' | 'today' | 'week';
  priority: '' | Priority;
  tier: '' | Tier;
  churnReason: '' | ChurnReason;
  playbook: string;
  q: string;
  sort: InboxSort;
}

export interface Note {
  id: string;
  body: string;
  authorId: string;
  authorName: string;
  createdAt: string;
}

export interface TaskDetail {
  task: Task;
  notes: Note[];
  escalationChain: Task[];
}

export interface CompleteResult {
  task: Task;
  run: { status: string; activeNodeIds: string[] };
}

export interface DirectoryUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  department: string | null;
}

export type ContactKind = 'call' | 'message' | 'visit' | 'answer' | 'note';
export type ContactChannel = 'phone' | 'sms' | 'email' | 'messaging' | 'visit' | 'in_person';

export interface Contact {
  id: string;
  kind: ContactKind | 'task' | (string & {});
  channel: string | null;
  summary: string;
  at: string;
  attemptId: string | null;
  taskId: string | null;
  by: { id: string; name: string } | null;
}

export interface Attempt {
  id: string;
  playbookKey: string;
  version: number;
  status: string;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface CustomerFile {
  customer: {
    id: string;
    name: string;
    grade: string;
    value: number;
    department: string | null;
    accountManager: string | null;
    status: string;
    churnType: string | null;
    churnReason: string | null;
    tags: string[];
    lastSeenAt: string | null;
  };
  attempts: Attempt[];
  openTasks: { id: string; title: string; status: string; assigneeRole: string; dueAt: string | null }[];
  contacts: Contact[];
}

/** One `event: task` message of the live inbox stream. */
export interface TaskChange {
  id: string;
  attemptId: string;
  status: string;
  department: string | null;
  role: string;
  userId: string | null;
  claimedBy: string | null;
  op: 'insert' | 'update';
}
