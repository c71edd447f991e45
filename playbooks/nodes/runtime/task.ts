import { parseDuration } from '../../duration';
import type { TaskConfig } from '../task';
import { assigneeOf } from './escalate';
import { closeCompletedTask, customerDepartment, openTask, startTimer } from './helpers';
import { defineStep, type StepApi } from './types';

/** A human task: open it for its assignee, escalate at each missed SLA, leave through the outcome it was completed with. */
export const taskStep = defineStep<TaskConfig>({
  kind: 'task',
  enter(step, config) {
    const department = customerDepartment(step);
    let assignee;
    if (config.assignee.type === 'role') {
      assignee = { role: config.assignee.role, department: config.assignee.department === 'customer' ? department : config.assignee.department, userId: null };
    } else {
      const named = step.state.vars[config.assignee.variable];
      assignee = { role: config.assignee.fallbackRole, department, userId: typeof named === 'string' && named ? named : null };
    }
    const slaMs = config.sla ? parseDuration(config.sla) : null;
    step.data.escalationLevel = 0;
    step.data.taskKey = openTask(step, {
      title: config.title,
      instructions: config.instructions,
      assignee,
      outcomes: config.outcomes,
      form: config.form,
      dueAt: slaMs ? step.now + slaMs : null,
      priority: config.priority,
    });
    if (slaMs && config.escalation.length > 0) startSlaTimer(step, slaMs);
  },
  on(step, config, event) {
    if (event.type === 'task_completed') {
      // An escalation task is finished work for the head, not the step's answer: the original stays open.
      const original = event.taskKey === step.data.taskKey;
      closeCompletedTask(step, event, original);
      if (original) step.go(event.outcome);
      return;
    }
    if (event.type === 'timer_fired') {
      const level = Number(step.data.escalationLevel ?? 0);
      const rule = config.escalation[level];
      if (!rule) return;
      const original = step.state.tasks[String(step.data.taskKey)];
      openTask(step, {
        title: `Escalation: ${config.title}`,
        instructions: `SLA missed (level ${level + 1}) on "${config.title}"${original?.assignee.userId ? ` assigned to ${original.assignee.userId}` : ''}. Make sure it gets done.`,
        // A level naming a person or the account manager goes to them (revision 4 configs); a role stays in the task's department.
        assignee: rule.to
          ? assigneeOf(step, rule.to)
          : { role: rule.role, department: original?.assignee.department ?? customerDepartment(step), userId: null },
        outcomes: [{ key: 'handled', label: 'Handled' }],
        form: [{ key: 'escalation_note', label: 'What was done', type: 'textarea', required: false }],
        dueAt: null,
        priority: 'urgent',
        escalation: original ? { ofTaskKey: original.taskKey, level: level + 1, slaMissedAt: step.now, assignee: original.assignee } : undefined,
      });
      step.data.escalationLevel = level + 1;
      const next = config.escalation[level + 1];
      const nextMs = next ? parseDuration(next.after ?? config.sla ?? '') : null;
      if (nextMs) startSlaTimer(step, nextMs);
    }
  },
});

function startSlaTimer(step: StepApi, durationMs: number): void {
  startTimer(step, durationMs, 'sla');
}
