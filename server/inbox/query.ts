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

/**
 * What this person may see, as disjoint branches whose union is the visible set. Each branch matches
 * one index, so PostgreSQL reads a page per branch in order (and counts from the index) instead of
 * sorting every visible task; being disjoint, they combine with UNION ALL, without de-duplication.
 */
export function visibilityBranches(user: SessionUser, p: Params): string[] {
  if (user.role === 'ops_manager' || user.role === 'admin' || user.role === 'auditor') return ['TRUE'];
  const me = p.add(user.id);
  const dept = p.add(user.department);
  if (user.role === 'department_head') {
    return [`t.department_id = ${dept}`, 't.department_id IS NULL', `t.assignee_user_id = ${me} AND t.department_id <> ${dept}`];
  }
  const role = p.add(user.role);
  return [
    `t.assignee_user_id = ${me}`,
    `t.assignee_user_id IS NULL AND t.assignee_role = ${role} AND t.department_id = ${dept}`,
    `t.assignee_user_id IS NULL AND t.assignee_role = ${role} AND t.department_id IS NULL`,
    // A claim on a task now assigned to someone else (rare): still mine to see until released.
    `t.claimed_by = ${me} AND t.assignee_user_id <> ${me}`,
  ];
}

/** The same set as one condition, for single-task checks. */
export function visibility(user: SessionUser, p: Params): string {
  return `(${visibilityBranches(user, p).map((b) => `(${b})`).join(' OR ')})`;
}

/** Snoozed tasks stay out of the working views until their follow-up date comes round. */
const AWAKE = '(t.follow_up_at IS NULL OR t.follow_up_at <= now())';

function viewFilter(view: InboxQuery['view'], user: SessionUser, p: Params): string {
  switch (view) {
    case 'mine':
      return `(t.assignee_user_id = ${p.add(user.id)} OR t.claimed_by = ${p.add(user.id)}) AND ${AWAKE}`;
    case 'queue':
      return `(t.claimed_by IS NULL AND t.assignee_user_id IS NULL AND t.assignee_role = ${p.add(user.role)} AND (t.department_id = ${p.add(user.department)} OR t.department_id IS NULL)) AND ${AWAKE}`;
    case 'snoozed':
      return 't.follow_up_at > now()';
    default:
      return AWAKE;
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
  /** Named, so each connection plans the statement once and reuses the plan. */
  name: string;
  text: string;
  values: unknown[];
  sortColumns: string[];
}

export function buildInboxQuery(user: SessionUser, q: InboxQuery): BuiltQuery | { error: string } {
  const p = new Params();
  const common = [`t.status = ${p.add(q.status)}`, viewFilter(q.view, user, p)];
  const needsCustomer = !!(q.tier || q.churnReason || q.q);
  if (q.due === 'overdue') common.push('t.due_at < now()');
  if (q.due === 'today') common.push("t.due_at < date_trunc('day', now()) + interval '1 day'");
  if (q.due === 'week') common.push("t.due_at < now() + interval '7 days'");
  if (q.priority) common.push(`t.priority = ${p.add(q.priority)}`);
  if (q.playbook) common.push(`t.playbook_key = ${p.add(q.playbook)}`);
  if (q.customerId) common.push(`t.customer_id = ${p.add(q.customerId)}`);
  if (q.tier) common.push(`c.grade = ${p.add(q.tier)}`);
  if (q.churnReason) common.push(`c.churn_reason = ${p.add(q.churnReason)}`);
  if (q.q) common.push(`(t.title ILIKE ${p.add(`%${q.q}%`)} OR c.name ILIKE ${p.add(`%${q.q}%`)})`);
  const keys = SORT_KEYS[q.sort];
  if (q.cursor) {
    const after = decodeCursor(q.cursor, keys.length);
    if (!after) return { error: 'the cursor is not valid for this sort' };
    common.push(`(${keys.join(', ')}) > (${after.map((v) => p.add(v)).join(', ')})`);
  }
  const limit = p.add(q.limit + 1);
  const from = needsCustomer ? 'tasks t JOIN customers c ON c.id = t.customer_id' : 'tasks t';
  const branches = visibilityBranches(user, p).map(
    (branch) => `(SELECT t.* FROM ${from} WHERE ${[...common, branch].join(' AND ')} ORDER BY ${keys.join(', ')} LIMIT ${limit})`,
  );
  // Sort keys travel as text at full (microsecond) precision; a JS Date would round them and repeat rows.
  const text = `SELECT t.*, c.name AS customer_name, c.grade AS customer_grade, c.value AS customer_value, c.churn_reason AS customer_churn_reason,
                       ${keys.map((k, i) => `${k}::text AS sort_${i}`).join(', ')}
                  FROM (${branches.join(' UNION ALL ')}) t JOIN customers c ON c.id = t.customer_id
                 ORDER BY ${keys.join(', ')}
                 LIMIT ${limit}`;
  return { name: statementName(text), text, values: p.values, sortColumns: keys.map((_, i) => `sort_${i}`) };
}

/**
 * Counts for the inbox's tabs and badges, over what this person may see. Each branch is counted on
 * its own index (an index-only scan for the large queues) and the branch totals are added up, which
 * is cheaper than counting the rows of their union.
 */
export function buildCountsQuery(user: SessionUser): { name: string; text: string; values: unknown[] } {
  const p = new Params();
  const visible = visibilityBranches(user, p);
  // Each tab counts exactly what its list shows; "overdue" is what the overdue filter shows in "all".
  const tabs = {
    all_: viewFilter('all', user, p),
    mine: viewFilter('mine', user, p),
    queue: viewFilter('queue', user, p),
    overdue: `${viewFilter('all', user, p)} AND t.due_at < now()`,
    snoozed: viewFilter('snoozed', user, p),
  };
  const counted = Object.entries(tabs).map(([tab, where]) => `count(*) FILTER (WHERE ${where}) AS ${tab}`).join(', ');
  const branches = visible.map((b) => `SELECT ${counted} FROM tasks t WHERE t.status = 'open' AND ${b}`);
  const text = `SELECT sum(all_)::int AS all, sum(mine)::int AS mine, sum(queue)::int AS queue, sum(overdue)::int AS overdue, sum(snoozed)::int AS snoozed
                  FROM (${branches.join(' UNION ALL ')}) b`;
  return { name: statementName(text), text, values: p.values };
}

/** A stable name per distinct statement text (filters change the text, values do not). */
function statementName(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return `inbox_${(h >>> 0).toString(36)}_${text.length}`;
}
