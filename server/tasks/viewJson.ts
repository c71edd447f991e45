import pg from 'pg';
import { isoOrNull } from '../audit/timeline';

/**
 * taskView (store.ts) written straight to JSON text from PostgreSQL's own text of each column. The
 * inbox page is the busiest read: pg parsing its 51 rows (JSON columns, five timestamps each) into
 * objects, taskView copying them and res.json serializing them again was half the API's time per
 * request. Here the JSON columns pass through as PostgreSQL wrote them, strings are quoted,
 * timestamps are rewritten as text; PostgreSQL does no more work than before, which matters since it
 * is the part shared by every API replica. tests/server/inboxJson.test.ts holds the two views equal
 * for every shape of task, in UTC and in another session time zone.
 */

/** Every column of a query as PostgreSQL's text: pass as the query's `types`. */
export const AS_TEXT = { getTypeParser: () => (value: string) => value };

/** A task row as text (AS_TEXT), with the customer columns of the inbox page. */
export type TaskTextRow = Record<string, string | null>;

const timestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;
const UTC_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/** A timestamptz's text as toISOString writes it (milliseconds, truncated as pg's parser does, and Z). */
export function isoOfTimestampText(text: string | null): string | null {
  if (text === null) return null;
  const utc = UTC_TEXT.exec(text);
  if (utc) return `${utc[1]}T${utc[2]}.${(utc[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  // Another session time zone, or a year past 9999: pg's own parser, as taskView's rows had.
  const date = timestamptz(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const str = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
const jsonText = (v: string | null) => v ?? 'null';
const stamp = (v: string | null) => str(isoOfTimestampText(v));

/** An escalation's missed time is stored as epoch milliseconds and answered as a timestamp. */
function escalationJson(text: string | null): string {
  if (text === null) return 'null';
  const escalation = JSON.parse(text) as Record<string, unknown> | null;
  if (!escalation || typeof escalation !== 'object') return 'null';
  return JSON.stringify({ ...escalation, slaMissedAt: isoOrNull(escalation.slaMissedAt) });
}

export function taskViewJson(t: TaskTextRow): string {
  const dueAt = isoOfTimestampText(t.due_at);
  const overdue = t.status === 'open' && dueAt !== null && Date.parse(dueAt) < Date.now();
  const value = t.customer_value === null || t.customer_value === undefined ? 'null' : JSON.stringify(Number(t.customer_value));
  return (
    `{"id":${str(t.id)},"attemptId":${str(t.attempt_id)},"taskKey":${str(t.task_key)},"nodeId":${str(t.node_id)},` +
    `"customer":{"id":${str(t.customer_id)},"name":${str(t.customer_name ?? null)},"grade":${str(t.customer_grade ?? null)},"value":${value},"churnReason":${str(t.customer_churn_reason ?? null)}},` +
    `"customerId":${str(t.customer_id)},"customerName":${str(t.customer_name ?? null)},"playbookKey":${str(t.playbook_key)},"title":${str(t.title)},"instructions":${str(t.instructions)},` +
    `"assignee":{"role":${str(t.assignee_role)},"department":${str(t.department_id)},"userId":${str(t.assignee_user_id)}},` +
    `"claimedBy":${str(t.claimed_by)},"priority":${str(t.priority)},"outcomes":${jsonText(t.outcomes)},"form":${jsonText(t.form)},"status":${str(t.status)},` +
    `"outcome":${str(t.outcome)},"formData":${jsonText(t.form_data)},"completedBy":${str(t.completed_by)},"dueAt":${str(dueAt)},"overdue":${overdue},` +
    `"followUpAt":${stamp(t.follow_up_at)},"escalation":${escalationJson(t.escalation)},"createdAt":${stamp(t.created_at)},"closedAt":${stamp(t.closed_at)}}`
  );
}
