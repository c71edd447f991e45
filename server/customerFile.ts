/** A customer's file as the API shows it, from its row in `customers`. */
export interface Customer {
  id: string;
  name: string;
  grade: string;
  value: number;
  department: string | null;
  accountManager: string | null;
  status: string;
  churnType: string | null;
  churnReason: string | null;
  tags: string[];
  lastSeenAt: Date | null;
}

export function toCustomer(r: Record<string, unknown>): Customer {
  return {
    id: String(r.id),
    name: String(r.name),
    grade: String(r.grade),
    value: Number(r.value),
    department: (r.department_id as string | null) ?? null,
    accountManager: (r.account_manager_id as string | null) ?? null,
    status: String(r.status),
    churnType: (r.churn_type as string | null) ?? null,
    churnReason: (r.churn_reason as string | null) ?? null,
    tags: (r.tags as string[]) ?? [],
    lastSeenAt: (r.last_seen_at as Date | null) ?? null,
  };
}
