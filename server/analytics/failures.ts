import type { Pool } from 'pg';
import type { FailureAudit } from '../../contract/analytics';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import type { MonthRange } from './period';
import { prepared } from './prepared';
import { rollupReach } from './scope';

/**
 * The failure audit: how often each internal failure cause was recorded. Causes live in the forms
 * of completed tasks; these are the fields the templates ask them in (the complaint's category when
 * it is recorded, the internal cause when the fix is done, the concrete cause the head finds on a
 * visit). A choice counts by its value (read by its label); free text counts by its words, trimmed
 * and case-folded, so the same cause typed twice is one row. The causes are counted as they are
 * recorded (task_causes and the triggers on tasks, platform/migrations/…_analytics-rollup.sql).
 */
export const CAUSE_FIELDS = ['complaint_category', 'internal_cause', 'service_failure'] as const;

export async function failureAudit(pool: Pool, user: SessionUser, opts: { range: MonthRange; department?: string; playbook?: string }): Promise<FailureAudit> {
  const p = new Params();
  const reach = rollupReach(user, opts.department);
  const start = p.add(opts.range.start);
  const end = p.add(opts.range.end);
  const playbook = opts.playbook ? p.add(opts.playbook) : null;
  const inRange = (row: string) => `${row}.month >= ${start}::date AND ${row}.month < ${end}::date${playbook ? ` AND ${row}.playbook_key = ${playbook}` : ''}`;
  // The counts per cause are kept as causes are recorded (failure_cause_months, by triggers on tasks);
  // only a department head's customers beyond their department are unpacked from their tasks' forms.
  const extra = reach.extra
    ? `UNION ALL
       SELECT k.field, k.cause, 1, t.id FROM tasks t CROSS JOIN LATERAL task_causes(t) k
        WHERE t.status = 'completed' AND t.closed_at >= ${start} AND t.closed_at < ${end}${playbook ? ` AND t.playbook_key = ${playbook}` : ''}
          AND t.customer_id IN ${reach.extra(p)}`
    : '';
  const tasksExtra = reach.extra ? `+ (SELECT count(DISTINCT task) FROM counted WHERE task IS NOT NULL)` : '';
  const { rows } = await prepared<{ field: string; cause: string; field_label: string | null; cause_label: string | null; count: number; tasks: number }>(
    pool,
    `WITH counted AS MATERIALIZED (
       SELECT r.field, r.cause, r.times, NULL::uuid AS task FROM failure_cause_months r WHERE ${inRange('r')} AND ${reach.rollup(p, 'r')}
       ${extra}
     ), grouped AS (
       SELECT field, cause, sum(times)::int AS count FROM counted GROUP BY field, cause HAVING sum(times) > 0
     )
     SELECT g.field, g.cause, g.count, l.field_label, l.cause_label,
            ((SELECT COALESCE(sum(r.tasks), 0) FROM failure_task_months r WHERE ${inRange('r')} AND ${reach.rollup(p, 'r')}) ${tasksExtra})::int AS tasks
       FROM grouped g LEFT JOIN failure_cause_labels l ON l.field = g.field AND l.cause = g.cause
      ORDER BY g.count DESC, g.field, g.cause`,
    p.values,
  );
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return {
    from: opts.range.from,
    to: opts.range.to,
    fields: [...CAUSE_FIELDS],
    tasks: rows[0]?.tasks ?? 0,
    rows: rows.map((r) => ({
      field: r.field,
      fieldLabel: r.field_label ?? r.field,
      cause: r.cause,
      causeLabel: r.cause_label ?? r.cause,
      count: r.count,
      share: total ? r.count / total : 0,
    })),
  };
}
