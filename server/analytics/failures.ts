import type { Pool } from 'pg';
import type { FailureAudit } from '../../contract/analytics';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import type { MonthRange } from './period';
import { customerOfRowScope } from './scope';

/**
 * The failure audit: how often each internal failure cause was recorded. Causes live in the forms
 * of completed tasks; these are the fields the templates ask them in (the complaint's category when
 * it is recorded, the internal cause when the fix is done, the concrete cause the head finds on a
 * visit). A choice counts by its value (read by its label); free text counts by its words, trimmed
 * and case-folded, so the same cause typed twice is one row.
 */
export const CAUSE_FIELDS = ['complaint_category', 'internal_cause', 'service_failure'] as const;

export async function failureAudit(pool: Pool, user: SessionUser, opts: { range: MonthRange; department?: string; playbook?: string }): Promise<FailureAudit> {
  const p = new Params();
  const where = [
    "t.status = 'completed'",
    `t.closed_at >= ${p.add(opts.range.start)}`,
    `t.closed_at < ${p.add(opts.range.end)}`,
    `t.form_data ?| ${p.add([...CAUSE_FIELDS])}::text[]`,
  ];
  if (opts.playbook) where.push(`t.playbook_key = ${p.add(opts.playbook)}`);
  // Labels come from one task's form per cause (found by its row address), so the per-row work is only the JSON unpacking.
  const { rows } = await pool.query<{ field: string; cause: string; field_label: string | null; cause_label: string | null; count: number; tasks: number }>(
    `WITH causes AS (
       SELECT t.ctid AS task, f.key AS field, lower(btrim(f.value)) AS cause, btrim(f.value) AS said
         FROM tasks t
        CROSS JOIN LATERAL jsonb_each_text(t.form_data) f
        WHERE ${where.join(' AND ')} AND ${customerOfRowScope(user, p, 't', opts.department)}
          AND f.key = ANY(${p.add([...CAUSE_FIELDS])}::text[]) AND btrim(f.value) <> ''
     ), grouped AS (
       SELECT field, cause, min(said) AS said, count(*)::int AS count, max(task) AS sample FROM causes GROUP BY field, cause
     )
     SELECT g.field, g.cause, g.count, d.def->>'label' AS field_label,
            COALESCE((SELECT o->>'label' FROM jsonb_array_elements(d.def->'options') o WHERE o->>'value' = g.said LIMIT 1), g.said) AS cause_label,
            (SELECT count(DISTINCT task) FROM causes)::int AS tasks
       FROM grouped g
       JOIN tasks st ON st.ctid = g.sample
       LEFT JOIN LATERAL (SELECT x AS def FROM jsonb_array_elements(st.form) x WHERE x->>'key' = g.field LIMIT 1) d ON true
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
