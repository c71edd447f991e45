import type { SessionUser } from '../http';
import type { TaskRow } from './store';

/** Who works tasks: everyone but the auditor, who reads the inbox and changes nothing. */
export const WORKERS = ['rep', 'department_head', 'ops_manager', 'admin'] as const;
/** Who may move work between people: reassign, hand over, release or complete over someone else's claim. */
export const MANAGERS = ['department_head', 'ops_manager', 'admin'] as const;

export const isManager = (user: SessionUser): boolean => (MANAGERS as readonly string[]).includes(user.role);

/** The task's assignee in the shape the runtime's permission rule (`mayCompleteTask`) reads. */
export const assigneeOf = (t: TaskRow) => ({ assignee: { role: t.assignee_role, department: t.department_id, userId: t.assignee_user_id } });
