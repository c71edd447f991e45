import { z } from 'zod';
import type { SessionUser } from '../http';

/**
 * The inbox as SQL: what a person may see (by role), which view and filters they chose, and a
 * keyset cursor, so page 40 costs what page 1 costs. Every sort is an all-ascending key ending in id.
 */
export const InboxQuery = z.object({
  view: z.enum(['all', 'mine', 'queue', 'team', 'snoozed']).default('all'),
  status: z.enum(['open', 'completed', 'cancelled']).default('open'),
  due: z.enum(['overdue', 'today', 'week']).optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  playbook: z.string().min(1).max(100).optional(),
  tier: z.enum(['core', 'high_potential', 'ordinary', 'churn_signs']).optional(),
  churnReason: z.enum(['A', 'B', 'C', 'D']).optional(),
  customerId: z.string().min(1).max(100).optional(),
  q: z.string().min(1).max(100).optional(),
  sort: z.enum(['due', 'priority', 'created']).default('due'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

const SORT_KEYS: Record<InboxQuery['sort'], string[]> = {
  due: ['t.due_key', 't.id'],
  priority: ['t.priority_rank', 't.due_key', 't.id'],
  created: ['t.created_at', 't.id'],
};

export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** What this person may see at all; specialised per role so PostgreSQL can use the queue indexes. */
export function visibility(user: SessionUser, p: Params): string {
  if (user.role === 'ops_manager' || user.role === 'admin' || user.role === 'auditor') return 'TRUE';
  const me = p.add(user.id);
  const dept = p.add(user.department);
  if (user.role === 'department_head') return `(t.department_id = ${dept} OR t.department_id IS NULL OR t.assignee_user_id = ${me})`;
  const role = p.add(user.role);
  return `(t.assignee_user_id = ${me} OR t.claimed_by = ${me} OR (t.assignee_user_id IS NULL AND t.assignee_role = ${role} AND (t.department_id = ${dept} OR t.department_id IS NULL)))`;
}

function viewFilter(view: InboxQuery['view'], user: SessionUser, p: Params): string {
  switch (view) {
    case 'mine':
      return `(t.assignee_user_id = ${p.add(user.id)} OR t.claimed_by = ${p.add(user.id)})`;
    case 'queue':
      return `(t.claimed_by IS NULL AND t.assignee_user_id IS NULL AND t.assignee_role = ${p.add(user.role)} AND (t.department_id = ${p.add(user.department)} OR t.department_id IS NULL))`;
    case 'snoozed':
      return 't.follow_up_at > now()';
    default:
      // Snoozed tasks stay out of the way until their follow-up date comes round.
      return '(t.follow_up_at IS NULL OR t.follow_up_at <= now())';
  }
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, length: number): unknown[] | null {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(values) && values.length === length && values.every((v) => typeof v === 'string' || typeof v === 'number') ? values : null;
  } catch {
    return null;
  }
}

export interface BuiltQuery {
  text: string;
  values: unknown[];
  sortColumns: string[];
}

export function buildInboxQuery(user: SessionUser, q: InboxQuery): BuiltQuery | { error: string } {
  const p = new Params();
  const where = [`t.status = ${p.add(q.status)}`, visibility(user, p), viewFilter(q.view, user, p)];
  if (q.due === 'overdue') where.push('t.due_at < now()');
  if (q.due === 'today') where.push("t.due_at < date_trunc('day', now()) + interval '1 day'");
  if (q.due === 'week') where.push("t.due_at < now() + interval '7 days'");
  if (q.priority) where.push(`t.priority = ${p.add(q.priority)}`);
  if (q.playbook) where.push(`t.playbook_key = ${p.add(q.playbook)}`);
  if (q.customerId) where.push(`t.customer_id = ${p.add(q.customerId)}`);
  if (q.tier) where.push(`c.grade = ${p.add(q.tier)}`);
  if (q.churnReason) where.push(`c.churn_reason = ${p.add(q.churnReason)}`);
  if (q.q) where.push(`(t.title ILIKE ${p.add(`%${q.q}%`)} OR c.name ILIKE ${p.add(`%${q.q}%`)})`);
  const keys = SORT_KEYS[q.sort];
  if (q.cursor) {
    const after = decodeCursor(q.cursor, keys.length);
    if (!after) return { error: 'the cursor is not valid for this sort' };
    where.push(`(${keys.join(', ')}) > (${after.map((v) => p.add(v)).join(', ')})`);
  }
  // Sort keys travel as text at full (microsecond) precision; a JS Date would round them and repeat rows.
  const text = `SELECT t.*, c.name AS customer_name, c.grade AS customer_grade, c.value AS customer_value, c.churn_reason AS customer_churn_reason,
                       ${keys.map((k, i) => `${k}::text AS sort_${i}`).join(', ')}
                  FROM tasks t JOIN customers c ON c.id = t.customer_id
                 WHERE ${where.join(' AND ')}
                 ORDER BY ${keys.join(', ')}
                 LIMIT ${p.add(q.limit + 1)}`;
  return { text, values: p.values, sortColumns: keys.map((_, i) => `sort_${i}`) };
}

/** Counts for the inbox's tabs and badges, over what this person may see. */
export function buildCountsQuery(user: SessionUser): { text: string; values: unknown[] } {
  const p = new Params();
  const visible = visibility(user, p);
  const mine = viewFilter('mine', user, p);
  const queue = viewFilter('queue', user, p);
  return {
    text: `SELECT count(*) FILTER (WHERE t.follow_up_at IS NULL OR t.follow_up_at <= now())::int AS all,
                  count(*) FILTER (WHERE ${mine} AND (t.follow_up_at IS NULL OR t.follow_up_at <= now()))::int AS mine,
                  count(*) FILTER (WHERE ${queue})::int AS queue,
                  count(*) FILTER (WHERE t.due_at < now())::int AS overdue,
                  count(*) FILTER (WHERE t.follow_up_at > now())::int AS snoozed
             FROM tasks t WHERE t.status = 'open' AND ${visible}`,
    values: p.values,
  };
}
