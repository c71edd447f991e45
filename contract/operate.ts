import { z } from 'zod';
import { Identifier } from '../playbooks/graph';
import { PersonalName } from '../playbooks/systemNames';
import { JsonValue, Timestamp } from './common';

/**
 * Operating sleeping attempts (issue 14, Camunda Operate's ground): the list of attempts with what
 * each waits for, incidents, repairs (cancel, move, change a variable, retry or skip an incident),
 * migration to a newer version with a dry run that proves it, and batches over many attempts.
 * Routes: server/routes/operate*.ts. Times in `waits` are epoch milliseconds (as the runtime keeps
 * them); every other time is ISO text.
 */

/** Every repair says why: it goes into the audit chain with the operator's name. */
export const Reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(500);

// ---------- the list ----------

/** What one active step waits for (playbooks/runtime/waits.ts StepWait, as stored by the worker). */
export const StepWait = z.object({
  stepId: z.string(),
  nodeId: z.string(),
  name: z.string(),
  kind: z.string(),
  since: z.number(),
  tasks: z.array(
    z.object({
      taskKey: z.string(),
      title: z.string(),
      role: z.string(),
      department: z.string().nullable(),
      userId: z.string().nullable(),
      /** The assignee's display name when the task is for a person. */
      userName: z.string().nullable().optional(),
      dueAt: z.number().nullable(),
    }),
  ),
  timers: z.array(z.object({ purpose: z.string(), firesAt: z.number() })),
  answer: z.object({ purpose: z.enum(['offer', 'commitment']), text: z.string(), tier: z.number().nullable() }).nullable(),
});
export type StepWait = z.infer<typeof StepWait>;

export const IncidentView = z.object({
  incidentId: z.string(),
  attemptId: z.uuid(),
  code: z.string(),
  message: z.string(),
  nodeIds: z.array(z.string()),
  transition: z.number().int(),
  openedAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  resolution: z.enum(['retry', 'skip']).nullable(),
  resolvedBy: z.string().nullable(),
  resolutionReason: z.string().nullable(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const OperateAttempt = z.object({
  id: z.uuid(),
  workflowId: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  department: z.string().nullable(),
  /** The customer's department by its name from the directory (`departments.name`). */
  departmentName: z.string().nullable(),
  playbookKey: z.string(),
  playbookName: z.string(),
  playbookVersion: z.number().int(),
  /** The version it followed before a migration, if it was migrated. */
  migratedFrom: z.number().int().nullable(),
  status: z.enum(['running', 'completed', 'failed', 'terminated']),
  outcome: z.string().nullable(),
  startedAt: Timestamp,
  endedAt: Timestamp.nullable(),
  waitingSince: Timestamp.nullable(),
  currentNodeIds: z.array(z.string()),
  waits: z.array(StepWait),
  incident: IncidentView.nullable(),
  /** The run in Temporal's UI, when one is configured (TEMPORAL_UI_URL). */
  temporalUrl: z.string().nullable(),
});
export type OperateAttempt = z.infer<typeof OperateAttempt>;

/** Filters of the operator's list (query string); a saved view stores them. */
export const OperateFilter = z.object({
  playbook: z.string().min(1).max(64).optional(),
  version: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  status: z.enum(['running', 'completed', 'failed', 'terminated']).optional(),
  /** Waiting at this node id right now. */
  step: z.string().min(1).max(100).optional(),
  /** What it waits for: a task, a customer's answer, a timer only. */
  waiting: z.enum(['task', 'answer', 'timer']).optional(),
  incident: z.enum(['open', 'none']).optional(),
  /** Customer id or name (contains, case-insensitive). */
  customer: z.string().min(1).max(200).optional(),
  department: z.string().min(1).max(64).optional(),
  /** Waiting since before this moment (asleep a long time). */
  waitingBefore: z.iso.datetime({ offset: true }).optional(),
});
export type OperateFilter = z.infer<typeof OperateFilter>;

export const OperateListQuery = OperateFilter.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const OperateList = z.object({
  attempts: z.array(OperateAttempt),
  /** How many match the filter (the list shows a page of them). */
  total: z.number().int(),
});

/** `GET /api/operate/counts?playbook=`: attempts per version and per current step, for the canvas badges. */
export const OperateCounts = z.object({
  byVersion: z.array(z.object({ version: z.number().int(), running: z.number().int(), completed: z.number().int(), incidents: z.number().int() })),
  byStep: z.array(z.object({ version: z.number().int(), nodeId: z.string(), running: z.number().int(), incidents: z.number().int() })),
});

export const SavedView = z.object({ id: z.uuid(), name: z.string(), filter: OperateFilter, createdAt: Timestamp });
export const SavedViewBody = z.object({ name: z.string().trim().min(1).max(80), filter: OperateFilter });
export const SavedViewList = z.object({ views: z.array(SavedView) });

export const IncidentList = z.object({
  incidents: z.array(IncidentView.extend({ customerName: z.string(), playbookKey: z.string(), playbookVersion: z.number().int() })),
});

/** One operator's operation on an attempt, as `GET /api/attempts/:id/operations` lists them. */
export const OperationRecord = z.object({
  operationId: z.string(),
  operation: z.enum(['cancel_attempt', 'move_step', 'set_variable', 'migrate']),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  reason: z.string(),
  details: z.record(z.string(), JsonValue),
  at: Timestamp,
});
export const OperationHistory = z.object({ operations: z.array(OperationRecord), incidents: z.array(IncidentView) });

// ---------- repairs ----------

export const CancelBody = z.object({ outcome: Identifier.default('cancelled'), reason: Reason });
export const MoveBody = z.object({
  fromStepId: z.string().regex(/^s\d+$/, 'a step id such as s4'),
  toNodeId: z.string().min(1).max(100),
  reason: Reason,
  /** The transition the operator looked at: refused with 409 attempt_moved if it has moved since. */
  expectedTransition: z.number().int().min(0).optional(),
});
export const VariableBody = z.object({
  /** Never a system name (customer.*, visits.*...): those are the system's truth, not an operator's to set. */
  name: PersonalName,
  value: z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
  reason: Reason,
});
export const IncidentBody = z.object({ reason: Reason });

/** What a repair or migration did (or, in a dry run, would do): the runtime's own account. */
export const OperationEffects = z.object({
  tasksCancelled: z.array(z.object({ taskKey: z.string(), title: z.string() })),
  tasksCreated: z.array(z.object({ taskKey: z.string(), title: z.string(), role: z.string(), userId: z.string().nullable(), dueAt: z.number().nullable() })),
  timersCancelled: z.array(z.object({ timerKey: z.string(), purpose: z.string() })),
  timersStarted: z.array(z.object({ timerKey: z.string(), purpose: z.string(), firesAt: z.number() })),
  messagesSent: z.array(z.object({ messageKey: z.string(), channel: z.string(), template: z.string(), recipient: z.string() })),
  stepsLeft: z.array(z.object({ nodeId: z.string(), name: z.string() })),
  stepsEntered: z.array(z.object({ nodeId: z.string(), name: z.string() })),
  after: z.object({
    status: z.enum(['running', 'completed']),
    activeSteps: z.array(z.object({ nodeId: z.string(), name: z.string(), kind: z.string() })),
    nextTimer: z.object({ purpose: z.string(), firesAt: z.number() }).nullable(),
    outcome: z.string().nullable(),
  }),
});

export const StepMigration = z.object({
  stepId: z.string(),
  fromNodeId: z.string(),
  fromName: z.string(),
  toNodeId: z.string().nullable(),
  toName: z.string().nullable(),
  action: z.enum(['kept', 're_entered', 'refused']),
  why: z.string(),
});

export const OperationApplied = z.object({
  operationId: z.string(),
  status: z.enum(['running', 'completed']),
  activeNodeIds: z.array(z.string()),
  playbookVersion: z.number().int(),
  transition: z.number().int(),
  effects: OperationEffects,
  steps: z.array(StepMigration),
});

export const IncidentResolved = z.object({ incidentId: z.string(), action: z.enum(['retry', 'skip']) });

// ---------- migration ----------

/** Step mapping: old node id → new node id; a step not named keeps its id (if the new version has it). */
export const Mapping = z.record(z.string().min(1).max(100), z.string().min(1).max(100)).default({});

export const MigrationBody = z.object({ toVersion: z.number().int().positive(), mapping: Mapping });
export const MigrateBody = MigrationBody.extend({ reason: Reason, expectedTransition: z.number().int().min(0).optional() });

/**
 * The dry run's verdict for one attempt. The proof: its recorded history replays on today's workflow
 * code (`replay`), the state that replay rebuilt is the state the live run reports (`statesAgree`),
 * and the migration applied to it through the pure runtime gives `effects.after`. `canMove` only
 * when all three hold and the runtime accepts the mapping.
 */
export const MigrationVerdict = z.object({
  attemptId: z.uuid(),
  customerName: z.string(),
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  canMove: z.boolean(),
  transition: z.number().int().nullable(),
  proof: z.object({
    replay: z.enum(['matches', 'diverged', 'unavailable']),
    statesAgree: z.boolean(),
    message: z.string().nullable(),
    events: z.number().int(),
  }),
  refusal: z.object({ code: z.string(), reason: z.string(), problems: z.array(z.object({ code: z.string(), message: z.string() }).loose()) }).nullable(),
  steps: z.array(StepMigration),
  effects: OperationEffects.nullable(),
});
export type MigrationVerdict = z.infer<typeof MigrationVerdict>;

/** `GET /api/playbooks/:key/migration?from=&to=`: both graphs side by side and the default mapping. */
export const MigrationPlan = z.object({
  playbookKey: z.string(),
  playbookName: z.string(),
  from: z.object({ version: z.number().int(), graph: JsonValue, nodes: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })) }),
  to: z.object({ version: z.number().int(), graph: JsonValue, nodes: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })) }),
  /** Old node id → new node id where both have the id. */
  defaultMapping: z.record(z.string(), z.string()),
  removed: z.array(z.string()),
  added: z.array(z.string()),
  changed: z.array(z.string()),
  /** Running attempts of `from` and where they wait, so the operator knows which removed steps matter. */
  runningAt: z.array(z.object({ nodeId: z.string(), running: z.number().int() })),
});

// ---------- batches ----------

export const BatchKind = z.enum(['cancel_attempt', 'migrate', 'dry_run_migrate', 'retry_incident']);
export const BatchBody = z
  .object({
    kind: BatchKind,
    /** Either a filter (the operator's list) or the ids picked in it. */
    filter: OperateFilter.optional(),
    attemptIds: z.array(z.uuid()).min(1).max(10_000).optional(),
    toVersion: z.number().int().positive().optional(),
    mapping: Mapping,
    outcome: Identifier.default('cancelled'),
    reason: Reason,
  })
  .superRefine((b, ctx) => {
    if (!b.filter === !b.attemptIds) ctx.addIssue({ code: 'custom', path: ['filter'], message: 'give either a filter or attemptIds' });
    if ((b.kind === 'migrate' || b.kind === 'dry_run_migrate') && b.toVersion === undefined)
      ctx.addIssue({ code: 'custom', path: ['toVersion'], message: 'a migration needs the version to move to' });
  });

export const BatchItem = z.object({
  attemptId: z.uuid(),
  customerName: z.string(),
  status: z.enum(['pending', 'done', 'refused', 'failed']),
  verdict: JsonValue,
  finishedAt: Timestamp.nullable(),
});

export const Batch = z.object({
  id: z.uuid(),
  kind: BatchKind,
  playbookKey: z.string().nullable(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  total: z.number().int(),
  progress: z.object({ pending: z.number().int(), done: z.number().int(), refused: z.number().int(), failed: z.number().int() }),
});
export const BatchCreated = z.object({ id: z.uuid(), total: z.number().int() });
export const BatchDetail = Batch.extend({ items: z.array(BatchItem) });
export const BatchList = z.object({ batches: z.array(Batch) });
