import { seesEveryDepartment } from '../access';
import type { SessionUser } from '../http';
import { visibilityBranches, type Branch, type Params } from '../inbox/query';

/**
 * How a rolled-up table (counts per department, platform/migrations/…_analytics-rollup.sql) covers
 * the user's reach. Those who see every department read the rollup alone. A department head reaches
 * the customers of their department and of none, which the rollup holds by department, and beyond
 * them the customers they manage or one of whose tasks they may see: those few are counted live,
 * row by row, so the sum is exactly what the live query over their reach counts.
 */
export interface RollupReach {
  /** SQL condition on the rollup row aliased `row` (its `department_id`). */
  rollup: (p: Params, row: string) => string;
  /** SQL set of the customer ids counted live, or null when there are none to count. */
  extra: ((p: Params) => string) | null;
}

export function rollupReach(user: SessionUser, department: string | undefined): RollupReach {
  const only = (p: Params, col: string) => (department ? ` AND ${col} = ${p.add(department)}` : '');
  if (seesEveryDepartment(user)) return { rollup: (p, row) => (department ? `${row}.department_id = ${p.add(department)}` : 'TRUE'), extra: null };
  const own = (p: Params, col: string) => (user.department === null ? 'FALSE' : `${col} = ${p.add(user.department)}`);
  const beyond = (p: Params, c: string) => `${c}.department_id IS NOT NULL AND NOT (${own(p, `${c}.department_id`)})${only(p, `${c}.department_id`)}`;
  return {
    rollup: (p, row) => `(${row}.department_id IS NULL OR ${own(p, `${row}.department_id`)})${only(p, `${row}.department_id`)}`,
    extra: (p) => `(SELECT c.id FROM customers c WHERE c.account_manager_id = ${p.add(user.id)} AND ${beyond(p, 'c')}
                    UNION
                    SELECT c.id FROM customers c
                     WHERE c.id IN (${visibilityBranches(user)
                       .map(
                         (b) =>
                           `SELECT t.customer_id FROM ${readsTaskReach(b) ? 'task_reach_counts' : 'tasks'} t WHERE ${b.where(p)}${readsTaskReach(b) ? ' AND t.tasks > 0' : ''}`,
                       )
                       .join(' UNION ALL ')}) AND ${beyond(p, 'c')})`,
  };
}

/**
 * Whether a branch of the tasks someone may see can be read from task_reach_counts (tasks counted
 * per task department and customer, only where the customer's own department is another one,
 * platform/migrations/…_steps-arms-reach-rollup.sql): a branch that holds exactly the tasks of the
 * viewer's department, or of none. A customer beyond the viewer's department has a department other
 * than the task's there, so the table holds every such pair, and a head no longer reads each task of
 * their department on every request. Any other branch (the tasks assigned to them in person) is few
 * rows and read from tasks, branch by branch (one index range each).
 */
function readsTaskReach(b: Branch): boolean {
  if (b.terms.length !== 1) return false;
  const [term] = b.terms;
  return term.column === 'department' && ('isNull' in term || ('equals' in term && term.equals === 'department'));
}
