import { z } from 'zod';
import { mayCompleteTask } from '../../playbooks/runtime/permissions';
import { reassignTaskUpdate } from '../../workflows/contract';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import type { Deps } from '../deps';
import { ApiError, conflict, forbidden, invalid, notFound } from '../errors';
import { actorOf, route, type RouteDef, type SessionUser } from '../http';
import { mapUpdateError } from '../temporalErrors';
import { HandoverResult, TaskResult, UserList } from '../../contract/inbox';
import { MANAGERS } from '../../contract/roles';
import { auditTask, moveClaims, openTasksAssignedTo, taskById, taskView, visibleTask, type TaskRow } from '../tasks/store';

/**
 * Who a task is for: a manager reassigns one task, or hands over everything a person owns when they
 * leave or move; the people list feeds the pickers. The assignee lives in the workflow (escalations
 * and reminders follow it), so a reassignment is the run's Update; claims and customers are ours.
 */
const ReassignBody = z.object({ userId: z.string().min(1).nullable(), reason: z.string().trim().min(1).max(500) });
const HandoverBody = z.object({ toUserId: z.string().min(1).nullable(), reason: z.string().trim().min(1).max(500) });

export function assignmentRoutes({ pool, temporal }: Deps): RouteDef[] {
  /** Reassigns one open task to a person eligible for it, or back to its queue (null); audited with who and why. */
  async function reassign(user: SessionUser, task: TaskRow, userId: string | null, reason: string): Promise<void> {
    if (task.status !== 'open') throw conflict('task_not_open', `the task is already ${task.status}`);
    if (userId) {
      const target = await pool.query('SELECT role, department_id FROM users WHERE id = $1 AND active', [userId]);
      if (!target.rows[0]) throw notFound(`user ${userId}`);
      if (
        !mayCompleteTask(
          { userId, role: target.rows[0].role, department: target.rows[0].department_id },
          { assignee: { role: task.assignee_role, department: task.department_id, userId: null } },
        )
      ) {
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
        const from = await pool.query('SELECT id, department_id FROM users WHERE id = $1', [params.id]);
        if (!from.rows[0]) throw notFound(`user ${params.id}`);
        if (user.role === 'department_head' && from.rows[0].department_id !== user.department)
          throw forbidden('you may hand over only the people of your department');
        if (body.toUserId && !(await pool.query('SELECT 1 FROM users WHERE id = $1 AND active', [body.toUserId])).rows[0])
          throw notFound(`user ${body.toUserId}`);
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
