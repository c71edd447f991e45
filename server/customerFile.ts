import type { Customer } from '../contract/customers';

/** A customer's file as the API shows it (contract/customers.ts), from its row in `customers`; dates travel as ISO text. */
export type { Customer };

/** The department's name beside a `customers c` row's columns, for toCustomer (`SELECT c.*, ${DEPARTMENT_NAME} …`). */
export const DEPARTMENT_NAME = '(SELECT d.name FROM departments d WHERE d.id = c.department_id) AS department_name';

export function toCustomer(r: Record<string, unknown>): Customer {
  return {
    id: String(r.id),
    name: String(r.name),
    grade: String(r.grade),
    value: Number(r.value),
    department: (r.department_id as string | null) ?? null,
    departmentName: (r.department_name as string | null) ?? null,
    accountManager: (r.account_manager_id as string | null) ?? null,
    status: String(r.status),
    churnType: (r.churn_type as string | null) ?? null,
    churnReason: (r.churn_reason as string | null) ?? null,
    tags: (r.tags as string[]) ?? [],
    lastSeenAt: r.last_seen_at instanceof Date ? r.last_seen_at.toISOString() : ((r.last_seen_at as string | null) ?? null),
  };
}
