import type { Pool } from 'pg';
import { EVERY_DEPARTMENT, inGroup } from '../../contract/roles';
import type { Workload } from '../../contract/inbox';
import type { SessionUser } from '../http';
import { Params } from './params';
import { visibility } from './visibility';

/**
 * A department head's workload panel: per person, their open tasks, how many are overdue and how many
 * fall due later today, and the unheld queue as one row. One statement, over the tasks the viewer may
 * see (the same visibility rule as the inbox), joined to the team's people so a rep with nothing open
 * still shows (a handover candidate). A task is held by whoever claimed it, else by its assignee.
 * "Today" ends at midnight in the database's time zone (UTC in the embedded setup).
 */
export async function workloadOf(pool: Pool, user: SessionUser): Promise<Workload> {
  const p = new Params();
  const everywhere = inGroup(EVERY_DEPARTMENT, user.role);
  const team = everywhere ? 'TRUE' : `u.department_id = ${p.add(user.department)}`;
  const { rows } = await pool.query(
    `WITH held AS (
       SELECT COALESCE(t.claimed_by, t.assignee_user_id) AS holder, t.due_at
         FROM tasks t WHERE t.status = 'open' AND ${visibility(user, p)}
     ), per AS (
       SELECT holder, count(*)::int AS open,
              count(*) FILTER (WHERE due_at < now())::int AS overdue,
              count(*) FILTER (WHERE due_at >= now() AND due_at < date_trunc('day', now()) + interval '1 day')::int AS due_today
         FROM held GROUP BY holder
     ), members AS (
       SELECT u.id, u.display_name, u.role, u.department_id FROM users u WHERE u.active AND u.role IN ('rep', 'department_head') AND ${team}
     )
     SELECT COALESCE(m.id, per.holder) AS user_id, COALESCE(m.display_name, u2.display_name) AS display_name,
            COALESCE(m.role, u2.role) AS role, COALESCE(m.department_id, u2.department_id) AS department_id,
            COALESCE(per.open, 0) AS open, COALESCE(per.overdue, 0) AS overdue, COALESCE(per.due_today, 0) AS due_today
       FROM members m FULL OUTER JOIN per ON per.holder = m.id
       LEFT JOIN users u2 ON u2.id = per.holder
      ORDER BY (COALESCE(m.id, per.holder) IS NULL), COALESCE(per.overdue, 0) DESC, COALESCE(per.open, 0) DESC, 2`,
    p.values,
  );
  const people = rows
    .filter((r) => r.user_id !== null)
    .map((r) => ({
      userId: r.user_id,
      name: r.display_name ?? r.user_id,
      role: r.role,
      department: r.department_id,
      open: r.open,
      overdue: r.overdue,
      dueToday: r.due_today,
    }));
  const queue = rows.find((r) => r.user_id === null);
  return { people, queue: { open: queue?.open ?? 0, overdue: queue?.overdue ?? 0, dueToday: queue?.due_today ?? 0 } };
}
