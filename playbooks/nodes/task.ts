import { z } from 'zod';
import { FormField } from '../form';
import { Identifier } from '../graph';
import type { Problem } from '../problems';
import { answered, Duration, joinParts, keysOf, str, taskResults } from './helpers';
import { EscalationTarget } from './escalate';
import { taskStep } from './runtime/task';
import { defineNode } from './types';

export const Assignee = z.discriminatedUnion('type', [
  /** A role's queue; `customer` means the department that owns the customer. */
  z.object({
    type: z.literal('role'),
    role: z.string().min(1).max(64),
    department: z.string().min(1).max(64).default('customer').describe('"customer" means the department that owns the customer.'),
  }),
  /** A person named by a run variable, e.g. the customer's account manager. */
  z.object({
    type: z.literal('variable'),
    variable: z.string().min(1).max(200),
    fallbackRole: z.string().min(1).max(64).default('rep').meta({ title: 'Fallback role' }),
  }),
]);

export const TaskConfig = z.object({
  title: z.string().min(1).max(200),
  instructions: z.string().max(4000).default(''),
  assignee: Assignee,
  outcomes: z
    .array(z.object({ key: Identifier, label: z.string().min(1).max(100) }))
    .min(1)
    .max(50)
    .describe('Each outcome is its own outgoing connection on the canvas.'),
  form: z.array(FormField).max(100).default([]).meta({ title: 'Form fields', description: 'Fields the rep fills in when completing the task.' }),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
  /** How long the assignee has before the escalation chain starts. */
  sla: Duration.optional().meta({ title: 'SLA', description: 'How long the assignee has before the escalation chain starts.' }),
  /** Who gets an escalation task at each SLA miss; the original task stays open. */
  escalation: z
    .array(
      z.object({
        role: z.string().min(1).max(64),
        after: Duration.optional(),
        to: EscalationTarget.optional().meta({ title: 'To', description: 'A named person or the account manager instead of the role’s queue.' }),
      }),
    )
    .max(10)
    .default([])
    .describe('Who gets an escalation task at each missed SLA; the original task stays open.'),
});
export type TaskConfig = z.infer<typeof TaskConfig>;

function assigneeSummary(assignee: unknown): string | undefined {
  if (typeof assignee !== 'object' || assignee === null) return undefined;
  const a = assignee as Record<string, unknown>;
  if (a.type === 'role') return str(a.role)?.replace(/_/g, ' ');
  if (a.type === 'variable') return `${str(a.variable) ?? '?'} (else ${str(a.fallbackRole) ?? 'rep'})`;
  return undefined;
}

export const taskNode = defineNode<TaskConfig>({
  ...taskStep,
  label: 'Human task',
  description: 'A step a rep or head does: call, investigate, record what the customer said.',
  icon: '☎',
  palette: { group: 'People', order: 1, color: '#2563eb' },
  starter: {
    title: 'New task',
    instructions: '',
    assignee: { type: 'role', role: 'rep', department: 'customer' },
    outcomes: [{ key: 'done', label: 'Done' }],
    form: [],
    priority: 'normal',
    escalation: [],
  },
  summary: (c) => joinParts(str(c.title) ?? 'Untitled task', assigneeSummary(c.assignee)),
  // Its own form's fields, and the note an escalation task (opened by its SLA) asks for.
  writes: (c, node) => [...keysOf(c.form).map((name) => ({ name, group: `Form: ${node.name}` })), { name: 'escalation_note' }, ...taskResults(node)],
  sets: (config, nodeId) => [...answered(nodeId), ...config.form.filter((f) => f.required).map((f) => f.key)],
  config: TaskConfig,
  handles: (config) => config.outcomes.map((o) => o.key),
  waits: true,
  check(config, ctx) {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    config.outcomes.forEach((o, i) => {
      if (seen.has(o.key))
        problems.push({
          code: 'duplicate_outcome',
          message: `outcome "${o.key}" appears twice`,
          path: [...ctx.path, 'outcomes', i, 'key'],
          nodeId: ctx.nodeId,
        });
      seen.add(o.key);
    });
    const roles = config.assignee.type === 'role' ? [config.assignee.role] : [config.assignee.fallbackRole];
    roles.forEach((role) => {
      if (!ctx.directory.roles.includes(role))
        problems.push({ code: 'unknown_role', message: `role "${role}" does not exist`, path: [...ctx.path, 'assignee'], nodeId: ctx.nodeId });
    });
    if (config.assignee.type === 'role' && config.assignee.department !== 'customer' && !ctx.directory.departments.includes(config.assignee.department)) {
      problems.push({
        code: 'unknown_department',
        message: `department "${config.assignee.department}" does not exist`,
        path: [...ctx.path, 'assignee', 'department'],
        nodeId: ctx.nodeId,
      });
    }
    config.escalation.forEach((level, i) => {
      const targetRole = level.to?.type === 'account_manager' ? level.to.fallbackRole : level.to?.role;
      if (targetRole !== undefined && !ctx.directory.roles.includes(targetRole))
        problems.push({
          code: 'unknown_role',
          message: `role "${targetRole}" does not exist`,
          path: [...ctx.path, 'escalation', i, 'to'],
          nodeId: ctx.nodeId,
        });
      if (!ctx.directory.roles.includes(level.role))
        problems.push({
          code: 'unknown_role',
          message: `role "${level.role}" does not exist`,
          path: [...ctx.path, 'escalation', i, 'role'],
          nodeId: ctx.nodeId,
        });
    });
    if (config.escalation.length > 0 && !config.sla) {
      problems.push({
        code: 'escalation_without_sla',
        message: 'an escalation chain needs an SLA to start from',
        path: [...ctx.path, 'sla'],
        nodeId: ctx.nodeId,
      });
    }
    config.form.forEach((field, i) => {
      if (field.type === 'choice' && !(field.options && field.options.length > 0)) {
        problems.push({
          code: 'choice_without_options',
          message: `field "${field.key}" is a choice with no options`,
          path: [...ctx.path, 'form', i, 'options'],
          nodeId: ctx.nodeId,
        });
      }
    });
    return problems;
  },
});
