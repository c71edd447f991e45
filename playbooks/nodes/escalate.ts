import { z } from 'zod';
import { Identifier } from '../graph';
import type { Problem } from '../problems';
import { answered, Duration, joinParts, str, taskResults } from './helpers';
import { escalateStep, levelsOf, targetText } from './runtime/escalate';
import { defineNode } from './types';

// Who a target is at run time is the runtime's (./runtime/escalate, zod-free); re-exported for the other kinds.
export { assigneeOf } from './runtime/escalate';

/** Who an escalation (or one level of its chain) goes to. */
export const EscalationTarget = z.discriminatedUnion('type', [
  /** A role's queue in the customer's department, e.g. the head of department. */
  z.object({ type: z.literal('role'), role: z.string().min(1).max(64) }),
  /** A named person (a director): theirs alone, whichever department the customer is in. */
  z.object({
    type: z.literal('person'),
    userId: z.string().min(1).max(64).describe('The person’s user id.'),
    role: z.string().min(1).max(64).default('department_head').describe('Their role: the queue the task is filed under.'),
  }),
  /** The customer's account manager (from the customer file); their role's queue when the customer has none. */
  z.object({ type: z.literal('account_manager'), fallbackRole: z.string().min(1).max(64).default('rep').meta({ title: 'Fallback role' }) }),
]);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const EscalateConfig = z.object({
  /** Who takes the case over: by default the head of the customer's department. */
  role: z.string().min(1).max(64).default('department_head').describe('The role that takes the case over, unless "To" names someone.'),
  to: EscalationTarget.optional().meta({ title: 'To', description: 'A role, a named person or the customer’s account manager; replaces the role above.' }),
  priority: z.enum(['normal', 'high', 'urgent']).default('high'),
  reason: z.string().min(1).max(500),
  instructions: z.string().max(4000).default(''),
  outcomes: z
    .array(z.object({ key: Identifier, label: z.string().min(1).max(100) }))
    .min(1)
    .max(50)
    .default([
      { key: 'resolved', label: 'Resolved' },
      { key: 'not_resolved', label: 'Not resolved' },
    ])
    .describe('Each outcome is its own outgoing connection on the canvas.'),
  sla: Duration.optional().meta({ title: 'SLA', description: 'How long the first assignee has before the case moves up the chain.' }),
  chain: z
    .array(
      z.object({
        to: EscalationTarget,
        sla: Duration.optional().meta({ title: 'SLA', description: 'How long this level has; the last level may have none.' }),
      }),
    )
    .max(10)
    .default([])
    .meta({
      title: 'Then up the chain',
      description: 'When a level’s SLA passes, its task is cancelled and the case moves to the next level (e.g. rep → head → a named director).',
    }),
});
export type EscalateConfig = z.infer<typeof EscalateConfig>;

export const escalateNode = defineNode<EscalateConfig>({
  ...escalateStep,
  label: 'Escalate',
  description: "Hand the case to the head of the customer's department, a named person or the account manager, and on up a chain with an SLA per level.",
  icon: '⚑',
  palette: { group: 'People', order: 2, color: '#dc2626' },
  starter: {
    role: 'department_head',
    priority: 'high',
    reason: 'Needs the head of department',
    instructions: '',
    outcomes: [
      { key: 'resolved', label: 'Resolved' },
      { key: 'not_resolved', label: 'Not resolved' },
    ],
    chain: [],
  },
  summary: (c) =>
    joinParts(
      targetText(c.to) ?? str(c.role)?.replace(/_/g, ' '),
      Array.isArray(c.chain) && c.chain.length ? `then ${c.chain.map((l: { to?: unknown }) => targetText(l?.to) ?? '?').join(' → ')}` : undefined,
      str(c.priority),
    ),
  writes: (_c, node) => [{ name: 'decision_note' }, ...taskResults(node)],
  sets: (_config, nodeId) => answered(nodeId),
  messages: (_config, path) => [{ template: 'escalation_notice', stepVars: {}, provided: ['reason', 'priority'], path }],
  config: EscalateConfig,
  handles: (config) => config.outcomes.map((o) => o.key),
  waits: true,
  check(config, ctx) {
    const problems: Problem[] = [];
    const roleProblem = (role: string, path: (string | number)[]) => {
      if (!ctx.directory.roles.includes(role)) problems.push({ code: 'unknown_role', message: `role "${role}" does not exist`, path, nodeId: ctx.nodeId });
    };
    if (!config.to) roleProblem(config.role, [...ctx.path, 'role']);
    const targets: [EscalationTarget | undefined, (string | number)[]][] = [
      [config.to, [...ctx.path, 'to']],
      ...config.chain.map((l, i): [EscalationTarget, (string | number)[]] => [l.to, [...ctx.path, 'chain', i, 'to']]),
    ];
    for (const [to, path] of targets) {
      if (to?.type === 'role') roleProblem(to.role, [...path, 'role']);
      if (to?.type === 'person') roleProblem(to.role, [...path, 'role']);
      if (to?.type === 'account_manager') roleProblem(to.fallbackRole, [...path, 'fallbackRole']);
    }
    // A level without an SLA never hands over, so every level before the last needs one.
    levelsOf(config).forEach((level, i, all) => {
      if (i < all.length - 1 && !level.sla)
        problems.push({
          code: 'escalation_without_sla',
          message: 'a level of the chain needs an SLA before the case can move on to the next',
          path: i === 0 ? [...ctx.path, 'sla'] : [...ctx.path, 'chain', i - 1, 'sla'],
          nodeId: ctx.nodeId,
        });
    });
    return problems;
  },
  describe: (cmd) => ({
    kind: 'escalated_up',
    text: `Escalated up the chain to level ${String(cmd.data.level)}: ${String(cmd.data.to)} (the level before missed its SLA)`,
  }),
});
