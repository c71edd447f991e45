import { z } from 'zod';
import { FormField } from '../playbooks/form';
import { Assignee, RoleName, Timestamp } from './common';

/**
 * What the inbox takes: views, filters, sort and a keyset cursor (the cursor is opaque to clients).
 */
export const InboxQuery = z.object({
  view: z.enum(['all', 'mine', 'queue', 'team', 'snoozed']).default('all'),
  status: z.enum(['open', 'completed', 'cancelled']).default('open'),
  due: z.enum(['overdue', 'today', 'week']).optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  playbook: z.string().min(1).max(100).optional(),
  tier: z.enum(['core', 'high_potential', 'ordinary', 'churn_signs']).optional(),
  churnReason: z.enum(['A', 'B', 'C', 'D']).optional(),
  customerId: z.string().min(1).max(100).optional(),
  q: z.string().min(1).max(100).optional(),
  /** Who holds the task (claimed it, else is assigned it): a user id, or `nobody` for the unheld queue. */
  holder: z.string().min(1).max(100).optional(),
  sort: z.enum(['due', 'priority', 'created']).default('due'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

/** The inbox, one task, what people do to tasks, and the people list (server/routes/inbox.ts, taskActions.ts, assignment.ts). */

export { FormField };
export const FormValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type FormValue = z.infer<typeof FormValue>;

export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;
export const TaskStatus = z.enum(['open', 'completed', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const Escalation = z.object({
  ofTaskKey: z.string(),
  level: z.number().int(),
  slaMissedAt: Timestamp.nullable(),
  /** Who held the task whose SLA was missed. */
  assignee: Assignee,
});
export type Escalation = z.infer<typeof Escalation>;

/** A task as the API answers it (server/tasks/store.ts taskView). */
export const Task = z.object({
  id: z.uuid(),
  attemptId: z.uuid(),
  taskKey: z.string(),
  nodeId: z.string(),
  customer: z.object({
    id: z.string(),
    name: z.string().nullable(),
    grade: z.string().nullable(),
    value: z.number().nullable(),
    churnReason: z.string().nullable(),
  }),
  customerId: z.string(),
  customerName: z.string().nullable(),
  playbookKey: z.string(),
  title: z.string(),
  instructions: z.string(),
  assignee: Assignee,
  claimedBy: z.string().nullable(),
  priority: Priority,
  outcomes: z.array(z.object({ key: z.string(), label: z.string() })),
  form: z.array(FormField),
  status: TaskStatus,
  outcome: z.string().nullable(),
  formData: z.record(z.string(), FormValue).nullable(),
  completedBy: z.string().nullable(),
  dueAt: Timestamp.nullable(),
  overdue: z.boolean(),
  followUpAt: Timestamp.nullable(),
  escalation: Escalation.nullable(),
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
});
export type Task = z.infer<typeof Task>;

export const InboxCounts = z.object({
  all: z.number().int(),
  mine: z.number().int(),
  queue: z.number().int(),
  overdue: z.number().int(),
  snoozed: z.number().int(),
});
export type InboxCounts = z.infer<typeof InboxCounts>;

export const InboxPage = z.object({ tasks: z.array(Task), nextCursor: z.string().nullable(), counts: InboxCounts });
export type InboxPage = z.infer<typeof InboxPage>;

export const Note = z.object({ id: z.string(), body: z.string(), authorId: z.string(), authorName: z.string(), createdAt: Timestamp });
export type Note = z.infer<typeof Note>;

/** Where a task sits in its playbook and attempt (server/tasks/place.ts). */
export const TaskPlace = z.object({
  playbook: z.object({ key: z.string(), name: z.string(), version: z.number().int().nullable() }),
  attempt: z.object({ id: z.string(), status: z.string(), outcome: z.string().nullable(), startedAt: Timestamp }).nullable(),
  /** The published graph the attempt runs (for the read-only map); null if the version is gone. */
  graph: z.unknown().nullable(),
  activeNodeIds: z.array(z.string()),
  stepName: z.string(),
  outcomes: z.array(z.object({ key: z.string(), leadsTo: z.string().nullable(), endsAttempt: z.boolean(), attemptOutcome: z.string().nullable() })),
  /** The earlier task whose outcome led here (an escalation by outcome), when one did. */
  reachedBy: z
    .object({
      taskTitle: z.string(),
      stepName: z.string(),
      outcome: z.string(),
      outcomeLabel: z.string(),
      by: z.object({ id: z.string(), name: z.string() }).nullable(),
      at: Timestamp,
    })
    .nullable(),
});
export type TaskPlace = z.infer<typeof TaskPlace>;

export const TaskDetail = z.object({ task: Task, notes: z.array(Note), escalationChain: z.array(Task), place: TaskPlace });
export type TaskDetail = z.infer<typeof TaskDetail>;

/** claim, unclaim, snooze, reassign: the task as it is now. */
export const TaskResult = z.object({ task: Task });

export const CompleteResult = z.object({
  task: Task,
  /** Where the attempt is after the completion. */
  run: z.object({ taskKey: z.string(), outcome: z.string().nullable(), status: z.string(), activeNodeIds: z.array(z.string()) }),
});
export type CompleteResult = z.infer<typeof CompleteResult>;

export const HandoverResult = z.object({
  reassignedTasks: z.number().int(),
  movedClaims: z.number().int().nullable(),
  customers: z.number().int().nullable(),
  failures: z.array(z.object({ taskId: z.string(), code: z.string(), message: z.string() })),
});
export type HandoverResult = z.infer<typeof HandoverResult>;

export const DirectoryUser = z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: RoleName, department: z.string().nullable() });
export type DirectoryUser = z.infer<typeof DirectoryUser>;
export const UserList = z.object({ users: z.array(DirectoryUser) });

/** One `event: task` message of the live inbox stream (server-sent events, so no response schema). */
export const TaskChange = z.object({
  id: z.string(),
  attemptId: z.string(),
  status: z.string(),
  department: z.string().nullable(),
  role: z.string(),
  userId: z.string().nullable(),
  claimedBy: z.string().nullable(),
  op: z.enum(['insert', 'update']),
});
export type TaskChange = z.infer<typeof TaskChange>;

/** One step of a recovery attempt waiting for the customer's answer (server/tasks/answers.ts). */
export const OpenStepAnswer = z.object({
  nodeId: z.string(),
  stepName: z.string(),
  nodeKind: z.string(),
  /** The offer tier or agreement a link was sent for; null for steps that take any listed answer. */
  target: z.object({ purpose: z.enum(['offer', 'commitment']), ref: z.string(), tier: z.number().int().nullable(), text: z.string() }).nullable(),
  kinds: z.array(z.object({ key: z.string(), label: z.string() })),
});
export type OpenStepAnswer = z.infer<typeof OpenStepAnswer>;
export const OpenAnswers = z.object({ attemptId: z.string(), status: z.string(), answers: z.array(OpenStepAnswer) });
export type OpenAnswers = z.infer<typeof OpenAnswers>;

export const AnswerChannel = z.enum(['phone', 'sms', 'email', 'messaging', 'visit', 'in_person']);
/** A rep records what the customer said, for one step that waits for it (and, for links, the tier they saw). */
export const RecordAnswerBody = z.object({
  nodeId: z.string().min(1).max(200),
  kind: z.string().min(1).max(100),
  /** The offer or agreement the rep was looking at: a newer tier since then is refused, not answered. */
  ref: z.string().min(1).max(200).optional(),
  channel: AnswerChannel.default('phone'),
  note: z.string().trim().max(1000).optional(),
});
export type RecordAnswerBody = z.infer<typeof RecordAnswerBody>;
export const AnswerRecorded = z.object({
  attemptId: z.string(),
  nodeId: z.string(),
  kind: z.string(),
  responseId: z.string(),
  /** `update`: the run took it before answering (link-bound steps); `signal`: delivered, taken when the run reads it. */
  delivery: z.enum(['update', 'signal']),
  status: z.string(),
});
export type AnswerRecorded = z.infer<typeof AnswerRecorded>;

/** The workload panel of the team view (server/inbox/workload.ts): per person, and the unheld queue. */
const Load = { open: z.number().int(), overdue: z.number().int(), dueToday: z.number().int() };
export const Workload = z.object({
  people: z.array(z.object({ userId: z.string(), name: z.string(), role: z.string().nullable(), department: z.string().nullable(), ...Load })),
  queue: z.object(Load),
});
export type Workload = z.infer<typeof Workload>;

/** What a handover would move, counted without moving anything (POST /api/users/:id/handover?dryRun). */
export const HandoverPreview = z.object({
  from: z.object({ id: z.string(), name: z.string() }),
  to: z.object({ id: z.string(), name: z.string() }).nullable(),
  tasks: z.number().int(),
  claims: z.number().int(),
  customers: z.number().int(),
  /** Tasks the receiver may not take (another role or department): a handover would report them as failures. */
  notEligible: z.array(z.object({ taskId: z.string(), title: z.string() })),
});
export type HandoverPreview = z.infer<typeof HandoverPreview>;
