import type { Assignee, Json } from '../../runtime/types';
import type { EscalateConfig, EscalationTarget } from '../escalate';
import { closeCompletedTask, customerDepartment, ms, openTask, startTimer, str } from './helpers';
import { defineStep, type StepApi } from './types';

interface Level {
  to: EscalationTarget;
  sla?: string;
}

/** The first level (the escalation's own assignee and SLA) followed by the chain (absent from plans older than revision 4). */
export function levelsOf(config: EscalateConfig): Level[] {
  return [{ to: config.to ?? { type: 'role', role: config.role }, sla: config.sla }, ...((config.chain as Level[] | undefined) ?? [])];
}

/** Who a target is for this run: the person, the account manager from the customer file, or the role in the customer's department. */
export function assigneeOf(step: StepApi, to: EscalationTarget): Assignee {
  const department = customerDepartment(step);
  if (to.type === 'role') return { role: to.role, department, userId: null };
  if (to.type === 'person') return { role: to.role, department: null, userId: to.userId };
  const manager = step.state.vars.account_manager;
  return { role: to.fallbackRole, department, userId: typeof manager === 'string' && manager ? manager : null };
}

export function targetText(to: unknown): string | undefined {
  if (!to || typeof to !== 'object') return undefined;
  const t = to as Record<string, unknown>;
  if (t.type === 'role') return str(t.role)?.replace(/_/g, ' ');
  if (t.type === 'person') return str(t.userId);
  if (t.type === 'account_manager') return 'account manager';
  return undefined;
}

function openLevel(step: StepApi, config: EscalateConfig, level: number): void {
  const { to, sla } = levelsOf(config)[level];
  const assignee = assigneeOf(step, to);
  const upTheChain = level > 0 ? ` (level ${level + 1}: the level before missed its SLA)` : '';
  step.data.level = level;
  step.data.taskKey = openTask(step, {
    title: `Escalation: ${config.reason}`,
    instructions: (config.instructions || `Escalated to you: ${config.reason}. Take the case over and record what you decided.`) + upTheChain,
    assignee,
    outcomes: config.outcomes,
    form: [{ key: 'decision_note', label: 'What you decided and did', type: 'textarea', required: false }],
    dueAt: sla ? step.now + ms(sla) : null,
    priority: level > 0 ? 'urgent' : config.priority,
  });
  step.emit({
    type: 'send_message',
    messageKey: step.nextKey('msg'),
    channel: 'email',
    recipient: assignee.userId ? { kind: 'user', userId: assignee.userId } : { kind: 'role', role: assignee.role, department: assignee.department },
    template: 'escalation_notice',
    vars: { reason: config.reason, priority: config.priority },
    link: null,
  });
  if (level > 0) {
    const data: Record<string, Json> = { level: level + 1, to: targetText(to) ?? assignee.role, userId: assignee.userId, role: assignee.role };
    step.emit({ type: 'record', recordKey: step.nextKey('record'), stepId: step.stepId, nodeId: step.nodeId, kind: 'escalate', name: 'level', data });
  }
  // Only a level with somewhere to go next needs its SLA timed.
  if (sla && level + 1 < levelsOf(config).length) step.data.slaKey = startTimer(step, ms(sla), 'escalation_sla');
}

/** An escalation: a task for the first level, handed on up the chain at each missed SLA. */
export const escalateStep = defineStep<EscalateConfig>({
  kind: 'escalate',
  enter(step, config) {
    // Revision 3 and older plans hold neither `to` nor `chain`: level 0 alone is what they did.
    openLevel(step, config, 0);
  },
  on(step, config, event) {
    if (event.type === 'task_completed' && event.taskKey === step.data.taskKey) {
      closeCompletedTask(step, event);
      step.go(event.outcome);
      return;
    }
    if (event.type === 'timer_fired' && event.timerKey === step.data.slaKey) {
      const level = Number(step.data.level ?? 0);
      const taskKey = String(step.data.taskKey);
      // The level that missed its SLA hands the case on: its task is closed as cancelled.
      delete step.state.tasks[taskKey];
      step.emit({ type: 'close_task', taskKey, status: 'cancelled', outcome: null, form: null, actor: null });
      openLevel(step, config, level + 1);
    }
  },
});
