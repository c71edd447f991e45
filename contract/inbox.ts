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

export const TaskDetail = z.object({ task: Task, notes: z.array(Note), escalationChain: z.array(Task) });
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
