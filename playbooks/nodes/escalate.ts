import { z } from 'zod';
import { Identifier } from '../graph';
import type { Problem } from '../problems';
import { answered, closeCompletedTask, customerDepartment, Duration, joinParts, ms, openTask, str, taskResults } from './helpers';
import { defineNode } from './types';

export const EscalateConfig = z.object({
  /** Who takes the case over: by default the head of the customer's department. */
  role: z.string().min(1).max(64).default('department_head'),
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
  sla: Duration.optional().meta({ title: 'SLA', description: 'How long the assignee has before the escalation chain starts.' }),
});
export type EscalateConfig = z.infer<typeof EscalateConfig>;

export const escalateNode = defineNode<EscalateConfig>({
  kind: 'escalate',
  label: 'Escalate',
  description: "Hand the case to the head of the customer's department (or a named role) with a priority and reason.",
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
  },
  summary: (c) => joinParts(str(c.role)?.replace(/_/g, ' '), str(c.priority)),
  writes: (_c, node) => [{ name: 'decision_note' }, ...taskResults(node)],
  sets: (_config, nodeId) => answered(nodeId),
  messages: (_config, path) => [{ template: 'escalation_notice', stepVars: {}, provided: ['reason', 'priority'], path }],
  config: EscalateConfig,
  handles: (config) => config.outcomes.map((o) => o.key),
  waits: true,
  check(config, ctx) {
    const problems: Problem[] = [];
    if (!ctx.directory.roles.includes(config.role))
      problems.push({ code: 'unknown_role', message: `role "${config.role}" does not exist`, path: [...ctx.path, 'role'], nodeId: ctx.nodeId });
    return problems;
  },
  enter(step, config) {
    const department = customerDepartment(step);
    step.data.taskKey = openTask(step, {
      title: `Escalation: ${config.reason}`,
      instructions: config.instructions || `Escalated to you: ${config.reason}. Take the case over and record what you decided.`,
      assignee: { role: config.role, department, userId: null },
      outcomes: config.outcomes,
      form: [{ key: 'decision_note', label: 'What you decided and did', type: 'textarea', required: false }],
      dueAt: config.sla ? step.now + ms(config.sla) : null,
      priority: config.priority,
    });
    step.emit({
      type: 'send_message',
      messageKey: step.nextKey('msg'),
      channel: 'email',
      recipient: { kind: 'role', role: config.role, department },
      template: 'escalation_notice',
      vars: { reason: config.reason, priority: config.priority },
      link: null,
    });
  },
  on(step, _config, event) {
    if (event.type === 'task_completed' && event.taskKey === step.data.taskKey) {
      closeCompletedTask(step, event);
      step.go(event.outcome);
    }
  },
});
