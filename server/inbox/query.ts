import { InboxQuery } from '../../contract/inbox';
import type { SessionUser } from '../http';
import { Params } from './params';
import { visibilityBranches } from './visibility';
import { containsLiterally } from '../search';
import { isTimestampText } from '../queryValues';

/**
 * The inbox as SQL: what a person may see (by role), which view and filters they chose, and a
 * keyset cursor, so page 40 costs what page 1 costs. Every sort is an all-ascending key ending in id.
 */
export { InboxQuery };
// Where most callers have always found them.
export { Params } from './params';
export { visibility, visibilityBranches, type Branch } from './visibility';

const SORT_KEYS: Record<InboxQuery['sort'], string[]> = {
  due: ['t.due_key', 't.id'],
  priority: ['t.priority_rank', 't.due_key', 't.id'],
  created: ['t.created_at', 't.id'],
};

/**
 * What a cursor value of each sort column must look like (they travel as PostgreSQL's text of the
 * column), so a forged cursor is a 400, never a cast error inside the query.
 */
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_VALUE: Record<string, (v: unknown) => boolean> = {
  't.due_key': (v) => typeof v === 'string' && (v === 'infinity' || isTimestampText(v)),
  't.created_at': (v) => typeof v === 'string' && isTimestampText(v),
  't.priority_rank': (v) => (typeof v === 'string' && /^[0-3]$/.test(v)) || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 3),
  't.id': (v) => typeof v === 'string' && UUID_TEXT.test(v),
};

const STATUS_SQL: Record<InboxQuery['status'], string> = { open: "'open'", completed: "'completed'", cancelled: "'cancelled'" };

/** Snoozed tasks stay out of the working views until their follow-up date comes round. */
const AWAKE = '(t.follow_up_at IS NULL OR t.follow_up_at <= now())';

export function viewFilter(view: InboxQuery['view'], user: SessionUser, p: Params): string {
  switch (view) {
    case 'mine':
      return `(t.assignee_user_id = ${p.add(user.id)} OR t.claimed_by = ${p.add(user.id)}) AND ${AWAKE}`;
    case 'queue':
      return `(t.claimed_by IS NULL AND t.assignee_user_id IS NULL AND t.assignee_role = ${p.add(user.role)} AND (t.department_id = ${p.add(user.department)} OR t.department_id IS NULL)) AND ${AWAKE}`;
    case 'snoozed':
      return 't.follow_up_at > now()';
    case 'team':
      // A head's (or rep's) own department, whoever holds each task; those who see every department see it all.
      return user.department === null ? AWAKE : `t.department_id = ${p.add(user.department)} AND ${AWAKE}`;
    default:
      return AWAKE;
  }
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, keys: string[]): unknown[] | null {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(values) && values.length === keys.length && values.every((v, i) => CURSOR_VALUE[keys[i]](v)) ? values : null;
  } catch {
    return null;
  }
}

/**
 * The task columns a page reads: what the task view shows (server/tasks/store.ts taskView), not
 * `t.*`. A page is 51 rows parsed on the API's event loop for every request; the workflow id, claim
 * time and the generated sort columns (read as text below) were a tenth of those bytes and two more
 * timestamps to parse per row. Under NODE_ENV=test every answer is checked against InboxPage, so a
 * column the view starts to need and this list lacks fails the inbox tests.
 */
const PAGE_COLUMNS = [
  'id',
  'attempt_id',
  'task_key',
  'node_id',
  'customer_id',
  'playbook_key',
  'title',
  'instructions',
  'assignee_role',
  'department_id',
  'assignee_user_id',
  'claimed_by',
  'priority',
  'outcomes',
  'form',
  'status',
  'outcome',
  'form_data',
  'completed_by',
  'due_at',
  'follow_up_at',
  'escalation',
  'created_at',
  'closed_at',
];
/** Each branch also hands up the sort columns, which the outer query orders by and reads as text. */
const BRANCH_COLUMNS = [...PAGE_COLUMNS, 'due_key', 'priority_rank'].map((c) => `t.${c}`).join(', ');
const OUTER_COLUMNS = PAGE_COLUMNS.map((c) => `t.${c}`).join(', ');

export interface BuiltQuery {
  /** Named, so each connection plans the statement once and reuses the plan. */
  name: string;
  text: string;
  values: unknown[];
  sortColumns: string[];
}

export function buildInboxQuery(user: SessionUser, q: InboxQuery): BuiltQuery | { error: string } {
  const p = new Params();
  // The status as a literal (one of three, from the contract's enum): the inbox's indexes are partial,
  // WHERE status = 'open', and a plan kept for a statement can use them only when the statement says
  // 'open' itself. With a parameter, a head's page was planned afresh on every request, because the
  // plan PostgreSQL could keep was a sort of every open task in the department.
  const common = [`t.status = ${STATUS_SQL[q.status]}`, viewFilter(q.view, user, p)];
  const needsCustomer = !!(q.tier || q.churnReason || q.q);
  if (q.due === 'overdue') common.push('t.due_at < now()');
  if (q.due === 'today') common.push("t.due_at < date_trunc('day', now()) + interval '1 day'");
  if (q.due === 'week') common.push("t.due_at < now() + interval '7 days'");
  if (q.priority) common.push(`t.priority = ${p.add(q.priority)}`);
  if (q.playbook) common.push(`t.playbook_key = ${p.add(q.playbook)}`);
  if (q.customerId) common.push(`t.customer_id = ${p.add(q.customerId)}`);
  if (q.holder === 'nobody') common.push('t.claimed_by IS NULL AND t.assignee_user_id IS NULL');
  else if (q.holder) common.push(`COALESCE(t.claimed_by, t.assignee_user_id) = ${p.add(q.holder)}`);
  if (q.tier) common.push(`c.grade = ${p.add(q.tier)}`);
  if (q.churnReason) common.push(`c.churn_reason = ${p.add(q.churnReason)}`);
  if (q.q) {
    const pattern = p.add(containsLiterally(q.q));
    common.push(`(t.title ILIKE ${pattern} OR c.name ILIKE ${pattern})`);
  }
  const keys = SORT_KEYS[q.sort];
  if (q.cursor) {
    const after = decodeCursor(q.cursor, keys);
    if (!after) return { error: 'the cursor is not valid for this sort' };
    common.push(`(${keys.join(', ')}) > (${after.map((v) => p.add(v)).join(', ')})`);
  }
  // A parameter, not a literal: PostgreSQL then costs the kept (generic) plan for fewer rows and
  // reuses it for a rep's page instead of planning each request anew (0.5 ms against 1.1 ms over 20
  // departments' 200,000 tasks).
  const limit = p.add(q.limit + 1);
  const from = needsCustomer ? 'tasks t JOIN customers c ON c.id = t.customer_id' : 'tasks t';
  const branches = visibilityBranches(user).map(
    (branch) => `(SELECT ${BRANCH_COLUMNS} FROM ${from} WHERE ${[...common, branch.where(p)].join(' AND ')} ORDER BY ${keys.join(', ')} LIMIT ${limit})`,
  );
  // The page is cut first, then each of its rows looks its customer up by primary key: joined before
  // the cut, PostgreSQL's cost model (which prices an index probe as a random read) preferred hashing
  // every customer, a scan of the whole table per request (10,000 customers: 1.2 ms of execution, 0.24 now).
  // LIMIT 1 keeps the lookup a per-row subquery the planner cannot turn back into that join.
  // Sort keys travel as text at full (microsecond) precision; a JS Date would round them and repeat
  // rows. The page is read as PostgreSQL's text, every column (server/tasks/viewJson.ts).
  const text = `SELECT ${OUTER_COLUMNS}, c.name AS customer_name, c.grade AS customer_grade, c.value AS customer_value, c.churn_reason AS customer_churn_reason,
                       ${keys.map((k, i) => `${k}::text AS sort_${i}`).join(', ')}
                  FROM (SELECT * FROM (${branches.join(' UNION ALL ')}) t ORDER BY ${keys.join(', ')} LIMIT ${limit}) t
                       CROSS JOIN LATERAL (SELECT c.name, c.grade, c.value, c.churn_reason FROM customers c WHERE c.id = t.customer_id LIMIT 1) c
                 ORDER BY ${keys.join(', ')}`;
  return { name: statementName(text), text, values: p.values, sortColumns: keys.map((_, i) => `sort_${i}`) };
}

/** Statement text → name: the same few texts come back on every request, and hashing one is a pass over ~1.5 KB. */
const STATEMENT_NAMES = new Map<string, string>();
const MAX_STATEMENT_NAMES = 1000;

/** A stable name per distinct statement text (filters change the text, values do not). */
export function statementName(text: string): string {
  const known = STATEMENT_NAMES.get(text);
  if (known) return known;
  const name = hashedName(text);
  if (STATEMENT_NAMES.size >= MAX_STATEMENT_NAMES) STATEMENT_NAMES.delete(STATEMENT_NAMES.keys().next().value!);
  STATEMENT_NAMES.set(text, name);
  return name;
}

function hashedName(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return `inbox_${(h >>> 0).toString(36)}_${text.length}`;
}
