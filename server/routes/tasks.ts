import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { formSchema, type FormField } from '../../playbooks/form';
import { problemsFromZod } from '../../playbooks/problems';
import { mayCompleteTask } from '../../playbooks/runtime/permissions';
import { completeTaskUpdate, reassignTaskUpdate } from '../../workflows/contract';
import type { Deps } from '../deps';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { ApiError, conflict, forbidden, invalid, notFound } from '../errors';
import { actorOf, route, type RouteDef, type SessionUser } from '../http';
import type { TaskChangeHub } from '../inbox/live';
import { InboxCounts } from '../inbox/counts';
import { buildInboxQuery, encodeCursor, InboxQuery, Params, visibility } from '../inbox/query';
import { mapUpdateError } from '../temporalErrors';
import { isoOrNull } from '../audit/timeline';

const WORKERS = ['rep', 'department_head', 'ops_manager', 'admin'] as const;
const MANAGERS = ['department_head', 'ops_manager', 'admin'] as const;
const CompleteBody = z.object({
  outcome: z.string().min(1),
  form: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
const NoteBody = z.object({ body: z.string().trim().min(1).max(4000) });
const SnoozeBody = z.object({ until: z.iso.datetime({ offset: true }), note: z.string().max(1000).optional() });
const ReassignBody = z.object({ userId: z.string().min(1).nullable(), reason: z.string().trim().min(1).max(500) });

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

export const taskView = (t: TaskRow) => ({
  id: t.id,
  attemptId: t.attempt_id,
  taskKey: t.task_key,
  nodeId: t.node_id,
  customer: { id: t.customer_id, name: t.customer_name ?? null, grade: t.customer_grade ?? null, value: t.customer_value === undefined ? null : Number(t.customer_value), churnReason: t.customer_churn_reason ?? null },
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

const TASK_SELECT = `SELECT t.*, c.name AS customer_name, c.grade AS customer_grade, c.value AS customer_value, c.churn_reason AS customer_churn_reason
                       FROM tasks t JOIN customers c ON c.id = t.customer_id`;

const HandoverBody = z.object({ toUserId: z.string().min(1).nullable(), reason: z.string().trim().min(1).max(500) });

export function taskRoutes({ pool, temporal, log }: Deps, hub: TaskChangeHub): RouteDef[] {
  const inboxCounts = new InboxCounts(pool, hub);
  async function visibleTask(user: SessionUser, id: string): Promise<TaskRow> {
    if (!z.uuid().safeParse(id).success) throw notFound(`task ${id}`);
    const p = new Params();
    const vis = visibility(user, p);
    const { rows } = await pool.query<TaskRow>(`${TASK_SELECT} WHERE t.id = ${p.add(id)} AND ${vis}`, p.values);
    if (!rows[0]) throw notFound(`task ${id}`);
    return rows[0];
  }
  const audit = (db: Pool | PoolClient, user: SessionUser, action: string, task: TaskRow, details: unknown = {}) =>
    recordAudit(db, { actorId: user.id, action, attemptId: task.attempt_id, subject: task.id, details });
  /** What the completion Update answers, read back from what the worker stored. */
  async function runSummary(task: TaskRow) {
    const { rows } = await pool.query('SELECT status, current_node_ids FROM recovery_attempts WHERE id = $1', [task.attempt_id]);
    return { taskKey: task.task_key, outcome: task.outcome, status: rows[0]?.status ?? 'running', activeNodeIds: rows[0]?.current_node_ids ?? [] };
  }
  const assigneeOf = (t: TaskRow) => ({ assignee: { role: t.assignee_role, department: t.department_id, userId: t.assignee_user_id } });

  return [
    route<undefined, InboxQuery>({
      method: 'get',
      path: '/api/inbox',
      summary: "My tasks, my role's and department's queues, and the team's; filters, sort, cursor pages, counts",
      tag: 'inbox',
      access: [...WORKERS, 'auditor'],
      query: InboxQuery,
      async handle({ user, query }) {
        const built = buildInboxQuery(user, query);
        if ('error' in built) throw invalid([{ code: 'invalid_cursor', message: built.error, path: ['query', 'cursor'] }]);
        const [page, counts] = await Promise.all([pool.query<TaskRow & Record<string, string | number>>({ name: built.name, text: built.text, values: built.values }), inboxCounts.for(user)]);
        const rows = page.rows.slice(0, query.limit);
        const last = rows[rows.length - 1];
        const sortValue = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
        const nextCursor = page.rows.length > query.limit && last ? encodeCursor(built.sortColumns.map((c) => sortValue((last as Record<string, unknown>)[c]))) : null;
        return { tasks: rows.map(taskView), nextCursor, counts };
      },
    }),
    route({
      method: 'get',
      path: '/api/inbox/events',
      summary: 'Live inbox: a server-sent event for every new, changed or closed task you may see',
      tag: 'inbox',
      access: [...WORKERS, 'auditor'],
      async handle({ user, res }) {
        await hub.subscribe(user, res);
      },
    }),
    route({
      method: 'get',
      path: '/api/tasks/:id',
      summary: 'Read one task with its notes and, for escalations, the chain of missed SLAs',
      tag: 'inbox',
      access: [...WORKERS, 'auditor'],
      errors: { 404: 'no such task, or not yours to see' },
      async handle({ user, params }) {
        const task = await visibleTask(user, params.id);
        const [notes, chain] = await Promise.all([
          pool.query('SELECT n.id, n.body, n.author_id, u.display_name, n.created_at FROM task_notes n JOIN users u ON u.id = n.author_id WHERE n.task_id = $1 ORDER BY n.created_at', [task.id]),
          // The original task and every escalation raised for it, in order.
          pool.query<TaskRow>(
            `${TASK_SELECT} WHERE t.attempt_id = $1 AND (t.task_key = $2 OR t.escalation->>'ofTaskKey' = $2) ORDER BY t.created_at`,
            [task.attempt_id, task.escalation?.ofTaskKey ?? task.task_key],
          ),
        ]);
        return {
          task: taskView(task),
          notes: notes.rows.map((n) => ({ id: n.id, body: n.body, authorId: n.author_id, authorName: n.display_name, createdAt: n.created_at })),
          escalationChain: chain.rows.length > 1 ? chain.rows.map(taskView) : [],
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/tasks/:id/claim',
      summary: 'Claim a task so others see you are on it',
      tag: 'inbox',
      access: WORKERS,
      errors: { 404: 'no such task', 409: 'closed, or claimed by someone else' },
      async handle({ user, params }) {
        const task = await visibleTask(user, params.id);
        if (!mayCompleteTask(actorOf(user), assigneeOf(task))) throw forbidden('this task is not yours to work');
        return inTransaction(pool, async (db) => {
          const { rows } = await db.query<TaskRow>(
            `UPDATE tasks SET claimed_by = $2, claimed_at = now() WHERE id = $1 AND status = 'open' AND (claimed_by IS NULL OR claimed_by = $2) RETURNING *`,
            [task.id, user.id],
          );
          if (!rows[0]) throw task.status !== 'open' ? conflict('task_not_open', 'the task is already closed') : conflict('task_claimed', `the task is claimed by ${task.claimed_by}`, { claimedBy: task.claimed_by });
          await audit(db, user, 'task_claimed', task);
          return { task: taskView({ ...task, ...rows[0] }) };
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/tasks/:id/unclaim',
      summary: 'Give a claimed task back to its queue',
      tag: 'inbox',
      access: WORKERS,
      errors: { 404: 'no such task', 409: 'not claimed by you' },
      async handle({ user, params }) {
        const task = await visibleTask(user, params.id);
        const mayRelease = task.claimed_by === user.id || (MANAGERS as readonly string[]).includes(user.role);
        if (!mayRelease) throw conflict('task_claimed', `the task is claimed by ${task.claimed_by}`);
        return inTransaction(pool, async (db) => {
          const { rows } = await db.query<TaskRow>(`UPDATE tasks SET claimed_by = NULL, claimed_at = NULL WHERE id = $1 AND status = 'open' RETURNING *`, [task.id]);
          if (!rows[0]) throw conflict('task_not_open', 'the task is already closed');
          await audit(db, user, 'task_unclaimed', task);
          return { task: taskView({ ...task, ...rows[0] }) };
        });
      },
    }),
    route<z.infer<typeof NoteBody>>({
      method: 'post',
      path: '/api/tasks/:id/notes',
      summary: 'Add a note to a task',
      tag: 'inbox',
      access: WORKERS,
      body: NoteBody,
      errors: { 404: 'no such task' },
      async handle({ user, params, body }) {
        const task = await visibleTask(user, params.id);
        return inTransaction(pool, async (db) => {
          const { rows } = await db.query('INSERT INTO task_notes (task_id, author_id, body) VALUES ($1, $2, $3) RETURNING id, created_at', [task.id, user.id, body.body]);
          await db.query("INSERT INTO contacts (customer_id, attempt_id, task_id, kind, summary, by_user_id) VALUES ($1, $2, $3, 'note', $4, $5)", [task.customer_id, task.attempt_id, task.id, body.body, user.id]);
          await audit(db, user, 'task_note_added', task);
          return { id: rows[0].id, body: body.body, authorId: user.id, authorName: user.displayName, createdAt: rows[0].created_at };
        });
      },
    }),
    route<z.infer<typeof SnoozeBody>>({
      method: 'post',
      path: '/api/tasks/:id/snooze',
      summary: 'Snooze a task to a follow-up date; it comes back to the inbox then',
      tag: 'inbox',
      access: WORKERS,
      body: SnoozeBody,
      errors: { 404: 'no such task', 409: 'closed' },
      async handle({ user, params, body }) {
        const task = await visibleTask(user, params.id);
        if (!mayCompleteTask(actorOf(user), assigneeOf(task))) throw forbidden('this task is not yours to work');
        const until = new Date(body.until);
        if (until.getTime() <= Date.now()) throw invalid([{ code: 'in_the_past', message: 'the follow-up date must be in the future', path: ['until'] }]);
        return inTransaction(pool, async (db) => {
          const { rows } = await db.query<TaskRow>(`UPDATE tasks SET follow_up_at = $2 WHERE id = $1 AND status = 'open' RETURNING *`, [task.id, until]);
          if (!rows[0]) throw conflict('task_not_open', 'the task is already closed');
          if (body.note) await db.query('INSERT INTO task_notes (task_id, author_id, body) VALUES ($1, $2, $3)', [task.id, user.id, body.note]);
          // The reminder waits in the outbox until the follow-up date; snoozing again adds a new one.
          await db.query(
            `INSERT INTO outbox_messages (attempt_id, message_key, channel, recipient, template, subject, body, not_before)
             VALUES ($1, $2, 'email', $3, 'free_text', $4, $5, $6) ON CONFLICT (attempt_id, message_key) DO NOTHING`,
            [task.attempt_id, `follow-up:${task.id}:${until.toISOString()}`, JSON.stringify({ kind: 'user', userId: user.id }), `Follow up: ${task.title}`,
              `Your follow-up on "${task.title}" for ${task.customer_name ?? task.customer_id} is due now.${body.note ? ` Your note: ${body.note}` : ''}`, until],
          );
          await audit(db, user, 'task_snoozed', task, { until: until.toISOString() });
          return { task: taskView({ ...task, ...rows[0] }) };
        });
      },
    }),
    route<z.infer<typeof ReassignBody>>({
      method: 'post',
      path: '/api/tasks/:id/reassign',
      summary: 'Reassign a task to a person (or back to its queue with userId null); recorded with who and why',
      tag: 'inbox',
      access: MANAGERS,
      body: ReassignBody,
      errors: { 404: 'no such task or user', 409: 'closed' },
      async handle({ user, params, body }) {
        const task = await visibleTask(user, params.id);
        await reassign(user, task, body.userId, body.reason);
        const { rows } = await pool.query<TaskRow>(`${TASK_SELECT} WHERE t.id = $1`, [task.id]);
        return { task: taskView(rows[0]) };
      },
    }),
    route<z.infer<typeof CompleteBody>>({
      method: 'post',
      path: '/api/tasks/:id/complete',
      summary: "Complete a task with an outcome and the node's form fields; the run advances",
      tag: 'inbox',
      access: WORKERS,
      body: CompleteBody,
      errors: { 404: 'no such task', 409: 'already completed, or claimed by someone else' },
      idempotent: true,
      async handle({ user, params, body, idempotencyKey }) {
        const task = await visibleTask(user, params.id);
        const actor = actorOf(user);
        if (!mayCompleteTask(actor, assigneeOf(task))) throw forbidden('this task is not yours to complete');
        // A retry under the same key after an unknown outcome (the API died or timed out after the
        // workflow applied it): the task closed as this person completed it is that completion.
        if (idempotencyKey && task.status === 'completed' && task.completed_by === user.id && task.outcome === body.outcome) {
          return { task: taskView(task), run: await runSummary(task) };
        }
        if (task.status !== 'open') throw conflict('task_not_open', `the task is already ${task.status}`);
        if (task.claimed_by && task.claimed_by !== user.id && !(MANAGERS as readonly string[]).includes(user.role)) {
          throw conflict('task_claimed', `the task is claimed by ${task.claimed_by}`, { claimedBy: task.claimed_by });
        }
        if (!task.outcomes.some((o) => o.key === body.outcome)) {
          throw invalid([{ code: 'outcome_not_allowed', message: `outcome must be one of: ${task.outcomes.map((o) => o.key).join(', ')}`, path: ['outcome'] }]);
        }
        const form = formSchema(task.form).safeParse(body.form);
        if (!form.success) throw invalid(problemsFromZod(form.error.issues, ['form']), 'the form is not valid');
        let result;
        try {
          // The workflow is the judge: its Update validator refuses a closed task or a second submit.
          // The Update id comes from the key: Temporal applies one Update per id, so a re-run joins the first.
          result = await temporal.workflow.getHandle(task.workflow_id).executeUpdate(completeTaskUpdate, {
            args: [{ taskKey: task.task_key, outcome: body.outcome, form: form.data, actor }],
            ...(idempotencyKey ? { updateId: `complete:${idempotencyKey}` } : {}),
          });
        } catch (err) {
          const mapped = mapUpdateError(err);
          if (mapped instanceof ApiError) throw mapped;
          log.error({ err: String(err), taskId: task.id }, 'task completion failed');
          throw err;
        }
        // The task_completed audit row was written by the worker with the completion itself.
        const { rows } = await pool.query<TaskRow>(`${TASK_SELECT} WHERE t.id = $1`, [task.id]);
        return { task: taskView(rows[0]), run: result };
      },
    }),
    route<z.infer<typeof HandoverBody>>({
      method: 'post',
      path: '/api/users/:id/handover',
      summary: "Hand over everything a rep owns (assigned tasks, claims, customers) to another rep or back to the queue",
      tag: 'inbox',
      access: MANAGERS,
      body: HandoverBody,
      errors: { 404: 'no such user' },
      async handle({ user, params, body }) {
        const from = await pool.query('SELECT id, department_id FROM users WHERE id = $1', [params.id]);
        if (!from.rows[0]) throw notFound(`user ${params.id}`);
        if (user.role === 'department_head' && from.rows[0].department_id !== user.department) throw forbidden('you may hand over only the people of your department');
        if (body.toUserId && !(await pool.query('SELECT 1 FROM users WHERE id = $1 AND active', [body.toUserId])).rows[0]) throw notFound(`user ${body.toUserId}`);
        const assigned = await pool.query<TaskRow>(`${TASK_SELECT} WHERE t.status = 'open' AND t.assignee_user_id = $1`, [params.id]);
        const failures: { taskId: string; code: string; message: string }[] = [];
        for (const task of assigned.rows) {
          try {
            await reassign(user, task, body.toUserId, `handover: ${body.reason}`);
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            failures.push({ taskId: task.id, code: err.code, message: err.message });
          }
        }
        return inTransaction(pool, async (db) => {
          // Claims live only here: they move with the handover, or go back to the queue.
          const claims = await db.query(`UPDATE tasks SET claimed_by = $2, claimed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END WHERE status = 'open' AND claimed_by = $1 RETURNING id`, [params.id, body.toUserId]);
          // The customer file survives the rep leaving: their customers get the new account manager.
          const customers = await db.query('UPDATE customers SET account_manager_id = $2 WHERE account_manager_id = $1 RETURNING id', [params.id, body.toUserId]);
          await recordAudit(db, {
            actorId: user.id,
            action: 'handover',
            subject: params.id,
            details: { to: body.toUserId, reason: body.reason, tasks: assigned.rows.length - failures.length, claims: claims.rowCount, customers: customers.rowCount, failures },
          });
          return { reassignedTasks: assigned.rows.length - failures.length, movedClaims: claims.rowCount, customers: customers.rowCount, failures };
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/users',
      summary: 'People, for assignment pickers',
      tag: 'inbox',
      access: 'signed_in',
      async handle() {
        const { rows } = await pool.query('SELECT id, username, display_name, role, department_id FROM users WHERE active ORDER BY display_name');
        return { users: rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role, department: u.department_id })) };
      },
    }),
  ];

  async function reassign(user: SessionUser, task: TaskRow, userId: string | null, reason: string): Promise<void> {
    if (task.status !== 'open') throw conflict('task_not_open', `the task is already ${task.status}`);
    if (userId) {
      const target = await pool.query('SELECT role, department_id FROM users WHERE id = $1 AND active', [userId]);
      if (!target.rows[0]) throw notFound(`user ${userId}`);
      if (!mayCompleteTask({ userId, role: target.rows[0].role, department: target.rows[0].department_id }, { assignee: { role: task.assignee_role, department: task.department_id, userId: null } })) {
        throw invalid([{ code: 'assignee_not_eligible', message: `${userId} is not a ${task.assignee_role} of ${task.department_id ?? 'any department'}`, path: ['userId'] }]);
      }
    }
    try {
      await temporal.workflow.getHandle(task.workflow_id).executeUpdate(reassignTaskUpdate, { args: [{ taskKey: task.task_key, userId, actor: actorOf(user), reason }] });
    } catch (err) {
      const mapped = mapUpdateError(err);
      throw mapped instanceof ApiError ? mapped : err;
    }
    await audit(pool, user, 'task_reassigned', task, { from: task.assignee_user_id, to: userId, reason });
  }
}

