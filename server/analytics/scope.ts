import { customerInReach, seesEveryDepartment } from '../access';
import type { SessionUser } from '../http';
import type { Params } from '../inbox/query';

/**
 * Which customers a table counts: those within the user's reach (server/access.ts, the one
 * department rule) and, when asked, of one department only.
 */
export function customerScope(user: SessionUser, p: Params, customer: string, department: string | undefined): string {
  const reach = customerInReach(user, p, customer);
  return department ? `${reach} AND ${customer}.department_id = ${p.add(department)}` : reach;
}

/** The same for a row that carries a `customer_id` (a step, an arm): no join at all for those who see everything. */
export function customerOfRowScope(user: SessionUser, p: Params, row: string, department: string | undefined): string {
  if (seesEveryDepartment(user) && !department) return 'TRUE';
  return `EXISTS (SELECT 1 FROM customers sc WHERE sc.id = ${row}.customer_id AND ${customerScope(user, p, 'sc', department)})`;
}
