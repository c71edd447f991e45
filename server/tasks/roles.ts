import { inGroup, MANAGERS } from '../../contract/roles';
import type { SessionUser } from '../http';
import type { TaskRow } from './store';

/** The role groups themselves are in contract/roles.ts, shared with the editor. */
export const isManager = (user: SessionUser): boolean => inGroup(MANAGERS, user.role);

/** The task's assignee in the shape the runtime's permission rule (`mayCompleteTask`) reads. */
export const assigneeOf = (t: TaskRow) => ({ assignee: { role: t.assignee_role, department: t.department_id, userId: t.assignee_user_id } });
