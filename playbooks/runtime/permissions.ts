import type { Actor, TaskSpec } from './types';

/**
 * Who may complete a task. Used by the API (early 403), the inbox (what a person sees) and the
 * workflow's Update validator (the last word, so no client can bypass it).
 */
export function mayCompleteTask(actor: Actor, task: Pick<TaskSpec, 'assignee'>): boolean {
  const { assignee } = task;
  if (actor.role === 'admin') return true;
  const sameDepartment = assignee.department === null || actor.department === assignee.department;
  if (assignee.userId) {
    // A named person's task; their department head may step in.
    return actor.userId === assignee.userId || (actor.role === 'department_head' && sameDepartment);
  }
  if (actor.role === 'department_head' && sameDepartment) return true;
  return actor.role === assignee.role && sameDepartment;
}
