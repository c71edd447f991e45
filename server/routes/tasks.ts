import { z } from 'zod';
import { formSchema, type FormField } from '../../playbooks/form';
import { problemsFromZod } from '../../playbooks/problems';
import { mayCompleteTask } from '../../playbooks/runtime/permissions';
import { completeTaskUpdate } from '../../workflows/contract';
import type { Deps } from '../deps';
import { ApiError, conflict, forbidden, invalid, notFound } from '../errors';
import { actorOf, route, type RouteDef, type SessionUser } from '../http';
import { mapUpdateError } from '../temporalErrors';

const WORKERS = ['rep', 'department_head', 'ops_manager', 'admin'] as const;
const CompleteBody = z.object({
  outcome: z.string().min(1),
  form: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
const InboxQuery = z.object({
  status: z.enum(['open', 'completed', 'cancelled']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

interface TaskRow {
  id: string;
  attempt_id: string;
  workflow_id: string;
  task_key: string;
  node_id: string;
  customer_id: string;
  customer_name?: string;
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
  created_at: Date;
  closed_at: Date | null;
}

/** What a person may see: their own tasks, their role's queue in their department, and more for heads. */
export const VISIBLE_TO = `(
  $1::text IN ('ops_manager', 'admin', 'auditor')
  OR t.assignee_user_id = $2
  OR ($1 = 'department_head' AND (t.department_id IS NULL OR t.department_id = $3))
  OR (t.assignee_user_id IS NULL AND t.assignee_role = $1 AND (t.department_id IS NULL OR t.department_id = $3))
)`;
const visibilityArgs = (user: SessionUser) => [user.role, user.id, user.department];

const taskView = (t: TaskRow) => ({
  id: t.id,
  attemptId: t.attempt_id,
  taskKey: t.task_key,
  nodeId: t.node_id,
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
  createdAt: t.created_at,
  closedAt: t.closed_at,
});

export function taskRoutes({ pool, temporal, log }: Deps): RouteDef[] {
  async function visibleTask(user: SessionUser, id: string): Promise<TaskRow> {
    if (!z.uuid().safeParse(id).success) throw notFound(`task ${id}`);
    const { rows } = await pool.query<TaskRow>(
      `SELECT t.*, c.name AS customer_name FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.id = $4 AND ${VISIBLE_TO}`,
      [...visibilityArgs(user), id],
    );
    if (!rows[0]) throw notFound(`task ${id}`);
    return rows[0];
  }

  return [
    route<undefined, z.infer<typeof InboxQuery>>({
      method: 'get',
      path: '/api/inbox',
      summary: "My tasks and my role's and department's queues",
      tag: 'inbox',
      access: [...WORKERS, 'auditor'],
      query: InboxQuery,
      async handle({ user, query }) {
        const { rows } = await pool.query<TaskRow>(
          `SELECT t.*, c.name AS customer_name FROM tasks t JOIN customers c ON c.id = t.customer_id
            WHERE t.status = $4 AND ${VISIBLE_TO}
            ORDER BY t.due_at ASC NULLS LAST, t.created_at ASC LIMIT $5`,
          [...visibilityArgs(user), query.status, query.limit],
        );
        return { tasks: rows.map(taskView) };
      },
    }),
    route({
      method: 'get',
      path: '/api/tasks/:id',
      summary: 'Read one task',
      tag: 'inbox',
      access: [...WORKERS, 'auditor'],
      errors: { 404: 'no such task, or not yours to see' },
      async handle({ user, params }) {
        return { task: taskView(await visibleTask(user, params.id)) };
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
        if (!mayCompleteTask(actorOf(user), { assignee: { role: task.assignee_role, department: task.department_id, userId: task.assignee_user_id } })) throw forbidden('this task is not yours to work');
        const { rows } = await pool.query<TaskRow>(
          `UPDATE tasks SET claimed_by = $2, claimed_at = now() WHERE id = $1 AND status = 'open' AND (claimed_by IS NULL OR claimed_by = $2) RETURNING *`,
          [task.id, user.id],
        );
        if (!rows[0]) throw task.status !== 'open' ? conflict('task_not_open', 'the task is already closed') : conflict('task_claimed', `the task is claimed by ${task.claimed_by}`, { claimedBy: task.claimed_by });
        await pool.query('INSERT INTO audit_log (actor_id, action, attempt_id, subject) VALUES ($1, $2, $3, $4)', [user.id, 'task_claimed', task.attempt_id, task.id]);
        return { task: taskView({ ...rows[0], customer_name: task.customer_name }) };
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
        const mayRelease = task.claimed_by === user.id || user.role === 'department_head' || user.role === 'admin';
        if (!mayRelease) throw conflict('task_claimed', `the task is claimed by ${task.claimed_by}`);
        const { rows } = await pool.query<TaskRow>(`UPDATE tasks SET claimed_by = NULL, claimed_at = NULL WHERE id = $1 AND status = 'open' RETURNING *`, [task.id]);
        if (!rows[0]) throw conflict('task_not_open', 'the task is already closed');
        await pool.query('INSERT INTO audit_log (actor_id, action, attempt_id, subject) VALUES ($1, $2, $3, $4)', [user.id, 'task_unclaimed', task.attempt_id, task.id]);
        return { task: taskView({ ...rows[0], customer_name: task.customer_name }) };
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
      async handle({ user, params, body }) {
        const task = await visibleTask(user, params.id);
        const actor = actorOf(user);
        if (!mayCompleteTask(actor, { assignee: { role: task.assignee_role, department: task.department_id, userId: task.assignee_user_id } })) throw forbidden('this task is not yours to complete');
        if (task.status !== 'open') throw conflict('task_not_open', `the task is already ${task.status}`);
        if (task.claimed_by && task.claimed_by !== user.id && user.role !== 'department_head' && user.role !== 'admin') {
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
          result = await temporal.workflow.getHandle(task.workflow_id).executeUpdate(completeTaskUpdate, { args: [{ taskKey: task.task_key, outcome: body.outcome, form: form.data, actor }] });
        } catch (err) {
          const mapped = mapUpdateError(err);
          if (mapped instanceof ApiError) throw mapped;
          log.error({ err: String(err), taskId: task.id }, 'task completion failed');
          throw err;
        }
        await pool.query('INSERT INTO audit_log (actor_id, action, attempt_id, subject, details) VALUES ($1, $2, $3, $4, $5)', [
          user.id, 'task_completed', task.attempt_id, task.id, JSON.stringify({ outcome: body.outcome, form: form.data }),
        ]);
        const { rows } = await pool.query<TaskRow>('SELECT t.*, c.name AS customer_name FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.id = $1', [task.id]);
        return { task: taskView(rows[0]), run: result };
      },
    }),
  ];
}
