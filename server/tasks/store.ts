import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import type { FormField } from '../../playbooks/form';
import { recordAudit } from '../../platform/db/audit';
import { isoOrNull } from '../audit/timeline';
import { notFound } from '../errors';
import type { SessionUser } from '../http';
import { Params, visibility } from '../inbox/query';

/**
 * The SQL the task routes run on tasks and their notes, kept in one place so a route reads as its
 * rules (who may, what is refused) and the statements can be checked side by side.
 *
 * The worker's activities create and close tasks; what is here is what people change on an open
 * task (claims, follow-up dates, notes) and how they read it. Every write is guarded by
 * `status = 'open'` and answers the updated row, or nothing when the task had closed meanwhile.
 */
type Db = Pool | PoolClient;

export interface TaskRow {
  id: string;
  attempt_id: string;
  workflow_id: string;
  task_key: string;
  node_id: string;
  customer_id: string;
  customer_name?: string;
  customer_grade?: string;
  customer_value?: string;
  customer_churn_reason?: string | null;
  playbook_key: string;
  title: string;
  instructions: string;
  assignee_role: string;
  department_id: string | null;
  assignee_user_id: string | null;
  claimed_by: string | null;
  priority: string;
  outcomes: { key: string; label: string }[];
  form: FormField[];
  status: string;
  outcome: string | null;
  form_data: unknown;
  completed_by: string | null;
  due_at: Date | null;
  follow_up_at: Date | null;
  escalation: { ofTaskKey: string; level: number; slaMissedAt: number; assignee: { role: string; department: string | null; userId: string | null } } | null;
  created_at: Date;
  closed_at: Date | null;
}

/** A task as the API answers it. */
export const taskView = (t: TaskRow) => ({
  id: t.id,
  attemptId: t.attempt_id,
  taskKey: t.task_key,
  nodeId: t.node_id,
  customer: {
    id: t.customer_id,
    name: t.customer_name ?? null,
    grade: t.customer_grade ?? null,
    value: t.customer_value == null ? null : Number(t.customer_value),
    churnReason: t.customer_churn_reason ?? null,
  },
  customerId: t.customer_id,
  customerName: t.customer_name ?? null,
  playbookKey: t.playbook_key,
  title: t.title,
  instructions: t.instructions,
  assignee: { role: t.assignee_role, department: t.department_id, userId: t.assignee_user_id },
  claimedBy: t.claimed_by,
  priority: t.priority,
  outcomes: t.outcomes,
  form: t.form,
  status: t.status,
  outcome: t.outcome,
  formData: t.form_data,
  completedBy: t.completed_by,
  dueAt: t.due_at,
  overdue: t.status === 'open' && t.due_at !== null && t.due_at.getTime() < Date.now(),
  followUpAt: t.follow_up_at,
  escalation: t.escalation ? { ...t.escalation, slaMissedAt: isoOrNull(t.escalation.slaMissedAt) } : null,
  createdAt: t.created_at,
  closedAt: t.closed_at,
});

/** A task with the customer columns its view shows. */
const TASK_SELECT = `SELECT t.*, c.name AS customer_name, c.grade AS customer_grade, c.value AS customer_value, c.churn_reason AS customer_churn_reason
                       FROM tasks t JOIN customers c ON c.id = t.customer_id`;

/** The task, when the user may see it; 404 otherwise, so an invisible task does not say the id exists. */
export async function visibleTask(db: Db, user: SessionUser, id: string): Promise<TaskRow> {
  if (!z.uuid().safeParse(id).success) throw notFound(`task ${id}`);
  const p = new Params();
  const vis = visibility(user, p);
  const { rows } = await db.query<TaskRow>(`${TASK_SELECT} WHERE t.id = ${p.add(id)} AND ${vis}`, p.values);
  if (!rows[0]) throw notFound(`task ${id}`);
  return rows[0];
}

/** The task read again after a change, for the answer; the caller has already checked visibility. */
export async function taskById(db: Db, id: string): Promise<TaskRow> {
  const { rows } = await db.query<TaskRow>(`${TASK_SELECT} WHERE t.id = $1`, [id]);
  return rows[0];
}

/** The original task and every escalation raised for it, in order. */
export async function escalationChain(db: Db, task: TaskRow): Promise<TaskRow[]> {
  const { rows } = await db.query<TaskRow>(
    `${TASK_SELECT} WHERE t.attempt_id = $1 AND (t.task_key = $2 OR t.escalation->>'ofTaskKey' = $2) ORDER BY t.created_at`,
    [task.attempt_id, task.escalation?.ofTaskKey ?? task.task_key],
  );
  return rows;
}

/** The open tasks assigned to this person, which a handover moves on. */
export async function openTasksAssignedTo(db: Db, userId: string): Promise<TaskRow[]> {
  const { rows } = await db.query<TaskRow>(`${TASK_SELECT} WHERE t.status = 'open' AND t.assignee_user_id = $1`, [userId]);
  return rows;
}

/** The task's notes with their authors' names, oldest first. */
export async function notesOf(db: Db, taskId: string) {
  const { rows } = await db.query(
    'SELECT n.id, n.body, n.author_id, u.display_name, n.created_at FROM task_notes n JOIN users u ON u.id = n.author_id WHERE n.task_id = $1 ORDER BY n.created_at',
    [taskId],
  );
  return rows.map((n) => ({ id: n.id, body: n.body, authorId: n.author_id, authorName: n.display_name, createdAt: n.created_at }));
}

/** Claims an open task unclaimed or already claimed by this person; undefined when closed or someone else's. */
export async function claim(db: Db, taskId: string, userId: string): Promise<TaskRow | undefined> {
  const { rows } = await db.query<TaskRow>(
    `UPDATE tasks SET claimed_by = $2, claimed_at = now() WHERE id = $1 AND status = 'open' AND (claimed_by IS NULL OR claimed_by = $2) RETURNING *`,
    [taskId, userId],
  );
  return rows[0];
}

/** Gives an open task back to its queue; undefined when it has closed. */
export async function unclaim(db: Db, taskId: string): Promise<TaskRow | undefined> {
  const { rows } = await db.query<TaskRow>(`UPDATE tasks SET claimed_by = NULL, claimed_at = NULL WHERE id = $1 AND status = 'open' RETURNING *`, [taskId]);
  return rows[0];
}

/** Moves every open claim of one person to another, or back to the queue (null); answers how many moved. */
export async function moveClaims(db: Db, fromUserId: string, toUserId: string | null): Promise<number | null> {
  const { rowCount } = await db.query(
    `UPDATE tasks SET claimed_by = $2, claimed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END WHERE status = 'open' AND claimed_by = $1 RETURNING id`,
    [fromUserId, toUserId],
  );
  return rowCount;
}

/** Sets an open task's follow-up date; undefined when it has closed. */
export async function setFollowUp(db: Db, taskId: string, until: Date): Promise<TaskRow | undefined> {
  const { rows } = await db.query<TaskRow>(`UPDATE tasks SET follow_up_at = $2 WHERE id = $1 AND status = 'open' RETURNING *`, [taskId, until]);
  return rows[0];
}

/** The reminder waits in the outbox until the follow-up date; snoozing again adds a new one. */
export async function queueFollowUpReminder(db: Db, task: TaskRow, userId: string, until: Date, note: string | undefined): Promise<void> {
  await db.query(
    `INSERT INTO outbox_messages (attempt_id, message_key, channel, recipient, template, subject, body, not_before)
     VALUES ($1, $2, 'email', $3, 'free_text', $4, $5, $6) ON CONFLICT (attempt_id, message_key) DO NOTHING`,
    [
      task.attempt_id,
      `follow-up:${task.id}:${until.toISOString()}`,
      JSON.stringify({ kind: 'user', userId }),
      `Follow up: ${task.title}`,
      `Your follow-up on "${task.title}" for ${task.customer_name ?? task.customer_id} is due now.${note ? ` Your note: ${note}` : ''}`,
      until,
    ],
  );
}

/** Adds a note to the task. */
export async function addNote(db: Db, taskId: string, authorId: string, body: string): Promise<{ id: string; created_at: Date }> {
  const { rows } = await db.query('INSERT INTO task_notes (task_id, author_id, body) VALUES ($1, $2, $3) RETURNING id, created_at', [taskId, authorId, body]);
  return rows[0];
}

/** A note a person writes on a task is also a contact with the customer: their file's contact log shows it. */
export async function logNoteAsContact(db: Db, task: TaskRow, userId: string, body: string): Promise<void> {
  await db.query("INSERT INTO contacts (customer_id, attempt_id, task_id, kind, summary, by_user_id) VALUES ($1, $2, $3, 'note', $4, $5)", [
    task.customer_id,
    task.attempt_id,
    task.id,
    body,
    userId,
  ]);
}

/** An audit row for what a person did to a task. */
export const auditTask = (db: Db, user: SessionUser, action: string, task: TaskRow, details: unknown = {}) =>
  recordAudit(db, { actorId: user.id, action, attemptId: task.attempt_id, subject: task.id, details });

/** What the completion Update answers, read back from what the worker stored. */
export async function runSummary(db: Db, task: TaskRow) {
  const { rows } = await db.query('SELECT status, current_node_ids FROM recovery_attempts WHERE id = $1', [task.attempt_id]);
  return { taskKey: task.task_key, outcome: task.outcome, status: rows[0]?.status ?? 'running', activeNodeIds: rows[0]?.current_node_ids ?? [] };
}
