import { seesEveryDepartment } from '../access';
import type { SessionUser } from '../http';
import { visibilityBranches, type Params } from '../inbox/query';

/**
 * The same for a row that carries a `customer_id` (a step, an arm): no join at all for those who see
 * everything; for a head, the set of customers in reach (their department's and no department's,
 * and those beyond it they reach, as rollupReach splits them), read once and hashed, instead of
 * testing each of 100,000 rows against the reach rule.
 */
export function customerOfRowScope(user: SessionUser, p: Params, row: string, department: string | undefined): string {
  if (seesEveryDepartment(user) && !department) return 'TRUE';
  if (seesEveryDepartment(user)) return `${row}.customer_id IN (SELECT sc.id FROM customers sc WHERE sc.department_id = ${p.add(department)})`;
  const reach = rollupReach(user, department);
  return `${row}.customer_id IN (SELECT sc.id FROM customers sc WHERE ${reach.rollup(p, 'sc')} UNION ${reach.extra!(p)})`;
}

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
    // The visible tasks branch by branch (one index range each, tasks_department_customer_idx), not
    // as one OR that reads every task.
    extra: (p) => `(SELECT c.id FROM customers c WHERE c.account_manager_id = ${p.add(user.id)} AND ${beyond(p, 'c')}
                    UNION
                    SELECT c.id FROM customers c
                     WHERE c.id IN (${visibilityBranches(user)
                       .map((b) => `SELECT t.customer_id FROM tasks t WHERE ${b.where(p)}`)
                       .join(' UNION ALL ')}) AND ${beyond(p, 'c')})`,
  };
}
