import { z } from 'zod';
import { mayCompleteTask } from '../../playbooks/runtime/permissions';
import { reassignTaskUpdate } from '../../workflows/contract';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import type { Deps } from '../deps';
import { ApiError, conflict, forbidden, invalid, notFound } from '../errors';
import { actorOf, route, type RouteDef, type SessionUser } from '../http';
import { mapUpdateError } from '../temporalErrors';
import { HandoverPreview, HandoverResult, TaskResult, UserList } from '../../contract/inbox';
import { MANAGERS } from '../../contract/roles';
import { auditTask, moveClaims, openTasksAssignedTo, taskById, taskView, visibleTask, type TaskRow } from '../tasks/store';

/**
 * Who a task is for: a manager reassigns one task, or hands over everything a person owns when they
 * leave or move; the people list feeds the pickers. The assignee lives in the workflow (escalations
 * and reminders follow it), so a reassignment is the run's Update; claims and customers are ours.
 */
const ReassignBody = z.object({ userId: z.string().min(1).nullable(), reason: z.string().trim().min(1).max(500) });
const HandoverBody = z.object({ toUserId: z.string().min(1).nullable(), reason: z.string().trim().min(1).max(500) });

const PreviewQuery = z.object({ to: z.string().min(1).max(100).optional() });

interface Person {
  id: string;
  display_name: string;
  role: string;
  department_id: string | null;
}

/** Whether the person may work the task once it is theirs: the runtime's own rule, on the task's role and department. */
const eligible = (person: Person, task: TaskRow) =>
  mayCompleteTask(
    { userId: person.id, role: person.role, department: person.department_id },
    { assignee: { role: task.assignee_role, department: task.department_id, userId: null } },
  );

export function assignmentRoutes({ pool, temporal }: Deps): RouteDef[] {
  /** The person handed over: they exist, and a head hands over only the people of their department. */
  async function leaver(user: SessionUser, id: string): Promise<Person> {
    const { rows } = await pool.query<Person>('SELECT id, display_name, role, department_id FROM users WHERE id = $1', [id]);
    if (!rows[0]) throw notFound(`user ${id}`);
    if (user.role === 'department_head' && rows[0].department_id !== user.department) throw forbidden('you may hand over only the people of your department');
    return rows[0];
  }
  async function receiver(id: string): Promise<Person> {
    const { rows } = await pool.query<Person>('SELECT id, display_name, role, department_id FROM users WHERE id = $1 AND active', [id]);
    if (!rows[0]) throw notFound(`user ${id}`);
    return rows[0];
  }

  /** Reassigns one open task to a person eligible for it, or back to its queue (null); audited with who and why. */
  async function reassign(user: SessionUser, task: TaskRow, userId: string | null, reason: string): Promise<void> {
    if (task.status !== 'open') throw conflict('task_not_open', `the task is already ${task.status}`);
    if (userId) {
      if (!eligible(await receiver(userId), task)) {
        throw invalid([
          { code: 'assignee_not_eligible', message: `${userId} is not a ${task.assignee_role} of ${task.department_id ?? 'any department'}`, path: ['userId'] },
        ]);
      }
    }
    try {
      await temporal.workflow
        .getHandle(task.workflow_id)
        .executeUpdate(reassignTaskUpdate, { args: [{ taskKey: task.task_key, userId, actor: actorOf(user), reason }] });
    } catch (err) {
      const mapped = mapUpdateError(err);
      throw mapped instanceof ApiError ? mapped : err;
    }
    await auditTask(pool, user, 'task_reassigned', task, { from: task.assignee_user_id, to: userId, reason });
  }

  return [
    route<z.infer<typeof ReassignBody>>({
      method: 'post',
      path: '/api/tasks/:id/reassign',
      summary: 'Reassign a task to a person (or back to its queue with userId null); recorded with who and why',
      tag: 'inbox',
      access: MANAGERS,
      body: ReassignBody,
      response: TaskResult,
      errors: { 404: 'no such task or user', 409: 'closed' },
      async handle({ user, params, body }) {
        const task = await visibleTask(pool, user, params.id);
        await reassign(user, task, body.userId, body.reason);
        return { task: taskView(await taskById(pool, task.id)) };
      },
    }),
    route<z.infer<typeof HandoverBody>>({
      method: 'post',
      path: '/api/users/:id/handover',
      summary: 'Hand over everything a rep owns (assigned tasks, claims, customers) to another rep or back to the queue',
      tag: 'inbox',
      access: MANAGERS,
      body: HandoverBody,
      response: HandoverResult,
      errors: { 404: 'no such user' },
      async handle({ user, params, body }) {
        await leaver(user, params.id);
        if (body.toUserId) await receiver(body.toUserId);
        const assigned = await openTasksAssignedTo(pool, params.id);
        // Each task is its own run's Update: one refused (closed meanwhile, target not eligible) is
        // reported and the others still move.
        const failures: { taskId: string; code: string; message: string }[] = [];
        for (const task of assigned) {
          try {
            await reassign(user, task, body.toUserId, `handover: ${body.reason}`);
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            failures.push({ taskId: task.id, code: err.code, message: err.message });
          }
        }
        return inTransaction(pool, async (db) => {
          // Claims live only here: they move with the handover, or go back to the queue.
          const claims = await moveClaims(db, params.id, body.toUserId);
          // The customer file survives the rep leaving: their customers get the new account manager.
          const customers = await db.query('UPDATE customers SET account_manager_id = $2 WHERE account_manager_id = $1 RETURNING id', [
            params.id,
            body.toUserId,
          ]);
          await recordAudit(db, {
            actorId: user.id,
            action: 'handover',
            subject: params.id,
            details: { to: body.toUserId, reason: body.reason, tasks: assigned.length - failures.length, claims, customers: customers.rowCount, failures },
          });
          return { reassignedTasks: assigned.length - failures.length, movedClaims: claims, customers: customers.rowCount, failures };
        });
      },
    }),
    route<undefined, z.infer<typeof PreviewQuery>>({
      method: 'get',
      path: '/api/users/:id/handover-preview',
      summary: 'What a handover would move (tasks, claims, customers) and which tasks the receiver may not take; changes nothing',
      tag: 'inbox',
      access: MANAGERS,
      query: PreviewQuery,
      response: HandoverPreview,
      errors: { 404: 'no such user' },
      async handle({ user, query, params }) {
        const from = await leaver(user, params.id);
        const to = query.to ? await receiver(query.to) : null;
        const assigned = await openTasksAssignedTo(pool, params.id);
        // The same counts the handover's statements would change, read in one round trip.
        const { rows } = await pool.query(
          `SELECT (SELECT count(*)::int FROM tasks WHERE status = 'open' AND claimed_by = $1) AS claims,
                  (SELECT count(*)::int FROM customers WHERE account_manager_id = $1) AS customers`,
          [params.id],
        );
        const notEligible = to ? assigned.filter((t) => !eligible(to, t)).map((t) => ({ taskId: t.id, title: t.title })) : [];
        return {
          from: { id: from.id, name: from.display_name },
          to: to ? { id: to.id, name: to.display_name } : null,
          tasks: assigned.length - notEligible.length,
          claims: rows[0].claims,
          customers: rows[0].customers,
          notEligible,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/users',
      summary: 'People, for assignment pickers',
      tag: 'inbox',
      access: 'signed_in',
      response: UserList,
      async handle() {
        const { rows } = await pool.query('SELECT id, username, display_name, role, department_id FROM users WHERE active ORDER BY display_name');
        return { users: rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role, department: u.department_id })) };
      },
    }),
  ];
}
