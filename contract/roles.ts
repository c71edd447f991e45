import type { Role } from '../playbooks/directory';

/**
 * Every role and the named groups the API and the editor check against, in one place. The runtime
 * (playbooks/) owns the list itself, since the compiler checks assignee roles against it; the groups
 * say who may do what, so a route's `access` and the editor's buttons agree by construction.
 */
export { ROLES, type Role } from '../playbooks/directory';

/** Who works tasks (claim, complete, notes, snooze): everyone but the auditor, who reads and changes nothing. */
export const WORKERS = ['rep', 'department_head', 'ops_manager', 'admin'] as const satisfies readonly Role[];
/** Who reads the inbox: the workers and the auditor. */
export const INBOX_READERS = [...WORKERS, 'auditor'] as const satisfies readonly Role[];
/** Who may move work between people: reassign, hand over, release or complete over someone else's claim. */
export const MANAGERS = ['department_head', 'ops_manager', 'admin'] as const satisfies readonly Role[];
/** Who edits playbooks: save drafts and publish versions. */
export const DESIGNERS = ['ops_manager', 'admin'] as const satisfies readonly Role[];
/** Who starts recovery attempts and fires triggers. */
export const ATTEMPT_STARTERS = ['ops_manager', 'admin', 'department_head', 'rep'] as const satisfies readonly Role[];
/** Who records what a customer said or a contact with them. */
export const CUSTOMER_CONTACTS = WORKERS;
/** Who reads the audit: replays, exports, reports, the audit log and its chain. */
export const AUDIT_READERS = ['auditor', 'admin', 'ops_manager', 'department_head'] as const satisfies readonly Role[];
/** Who sees every department (auditors still change nothing: their role keeps them off every mutating route). */
export const EVERY_DEPARTMENT = ['ops_manager', 'admin', 'auditor'] as const satisfies readonly Role[];

/** Whether the role is one of the group's; any string, as a session or a stored row holds it. */
export const inGroup = (group: readonly Role[], role: string): boolean => (group as readonly string[]).includes(role);

/** Who operates sleeping attempts (cancel, move, change a variable, resolve incidents, migrate, batches). */
export const OPERATORS = ['ops_manager', 'admin'] as const satisfies readonly Role[];
/** Who sees the operator's list of attempts and incidents: operators, heads (their department) and auditors (read-only). */
export const OPERATE_READERS = ['ops_manager', 'admin', 'department_head', 'auditor'] as const satisfies readonly Role[];
