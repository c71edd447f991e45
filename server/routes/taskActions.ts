import { z } from 'zod';
import { formSchema } from '../../playbooks/form';
import { problemsFromZod } from '../../playbooks/problems';
import { mayCompleteTask } from '../../playbooks/runtime/permissions';
import { completeTaskUpdate } from '../../workflows/contract';
import { inTransaction } from '../../platform/db/pool';
import type { Deps } from '../deps';
import { ApiError, conflict, forbidden, invalid } from '../errors';
import { actorOf, route, type RouteDef } from '../http';
import { mapUpdateError } from '../temporalErrors';
import { answerRoutes } from '../tasks/answerRoutes';
import { assigneeOf, isManager } from '../tasks/roles';
import { CompleteResult, Note, TaskResult } from '../../contract/inbox';
import { WORKERS } from '../../contract/roles';
import {
  addNote,
  auditTask,
  claim,
  logNoteAsContact,
  queueFollowUpReminder,
  runSummary,
  setFollowUp,
  taskById,
  taskView,
  unclaim,
  visibleTask,
} from '../tasks/store';

/**
 * What the person working a task does to it: claim it, give it back, add notes, snooze it to a
 * follow-up date, and complete it. Claims, notes and snoozes are the API's own rows; completion is
 * the workflow's to accept, so it goes through the run's Update and is answered from what the worker stored.
 */
const CompleteBody = z.object({
  outcome: z.string().min(1),
  form: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
const NoteBody = z.object({ body: z.string().trim().min(1).max(4000) });
const SnoozeBody = z.object({ until: z.iso.datetime({ offset: true }), note: z.string().max(1000).optional() });

/** Refused completion: the task is held by another person; the code says so, the details say who. */
const claimedBySomeoneElse = (claimedBy: string) =>
  conflict('task_claimed_by_other', `the task is claimed by ${claimedBy}; they complete it, or a manager releases or reassigns it`, { claimedBy });

export function taskActionRoutes(deps: Deps): RouteDef[] {
  const { pool, temporal, log } = deps;
  return [
    ...answerRoutes(deps),
    route({
      method: 'post',
      path: '/api/tasks/:id/claim',
      summary: 'Claim a task so others see you are on it',
      tag: 'inbox',
      access: WORKERS,
      response: TaskResult,
      errors: { 404: 'no such task', 409: 'closed, or claimed by someone else' },
      async handle({ user, params }) {
        const task = await visibleTask(pool, user, params.id);
        if (!mayCompleteTask(actorOf(user), assigneeOf(task))) throw forbidden('this task is not yours to work');
        return inTransaction(pool, async (db) => {
          const claimed = await claim(db, task.id, user.id);
          if (!claimed)
            throw task.status !== 'open'
              ? conflict('task_not_open', 'the task is already closed')
              : conflict('task_claimed', `the task is claimed by ${task.claimed_by}`, { claimedBy: task.claimed_by });
          await auditTask(db, user, 'task_claimed', task);
          return { task: taskView({ ...task, ...claimed }) };
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/tasks/:id/unclaim',
      summary: 'Give a claimed task back to its queue',
      tag: 'inbox',
      access: WORKERS,
      response: TaskResult,
      errors: { 404: 'no such task', 409: 'not claimed by you' },
      async handle({ user, params }) {
        const task = await visibleTask(pool, user, params.id);
        // Your own claim, or a manager clearing someone else's.
        if (!(task.claimed_by === user.id || isManager(user))) throw conflict('task_claimed', `the task is claimed by ${task.claimed_by}`);
        return inTransaction(pool, async (db) => {
          const released = await unclaim(db, task.id);
          if (!released) throw conflict('task_not_open', 'the task is already closed');
          await auditTask(db, user, 'task_unclaimed', task);
          return { task: taskView({ ...task, ...released }) };
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
      response: Note,
      errors: { 404: 'no such task' },
      async handle({ user, params, body }) {
        const task = await visibleTask(pool, user, params.id);
        return inTransaction(pool, async (db) => {
          const note = await addNote(db, task.id, user.id, body.body);
          await logNoteAsContact(db, task, user.id, body.body);
          await auditTask(db, user, 'task_note_added', task);
          return { id: note.id, body: body.body, authorId: user.id, authorName: user.displayName, createdAt: note.created_at };
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
      response: TaskResult,
      errors: { 404: 'no such task', 409: 'closed' },
      async handle({ user, params, body }) {
        const task = await visibleTask(pool, user, params.id);
        if (!mayCompleteTask(actorOf(user), assigneeOf(task))) throw forbidden('this task is not yours to work');
        const until = new Date(body.until);
        if (until.getTime() <= Date.now()) throw invalid([{ code: 'in_the_past', message: 'the follow-up date must be in the future', path: ['until'] }]);
        return inTransaction(pool, async (db) => {
          const snoozed = await setFollowUp(db, task.id, until);
          if (!snoozed) throw conflict('task_not_open', 'the task is already closed');
          if (body.note) await addNote(db, task.id, user.id, body.note);
          await queueFollowUpReminder(db, task, user.id, until, body.note);
          await auditTask(db, user, 'task_snoozed', task, { until: until.toISOString() });
          return { task: taskView({ ...task, ...snoozed }) };
        });
      },
    }),
    route<z.infer<typeof CompleteBody>>({
      method: 'post',
      path: '/api/tasks/:id/complete',
      summary: "Complete a task with an outcome and the node's form fields; the run advances",
      tag: 'inbox',
      access: WORKERS,
      body: CompleteBody,
      response: CompleteResult,
      errors: { 404: 'no such task', 409: 'already completed (task_not_open), or claimed by someone else (task_claimed_by_other)' },
      idempotent: true,
      async handle({ user, params, body, idempotencyKey }) {
        const task = await visibleTask(pool, user, params.id);
        const actor = actorOf(user);
        if (!mayCompleteTask(actor, assigneeOf(task))) throw forbidden('this task is not yours to complete');
        // A retry under the same key after an unknown outcome (the API died or timed out after the
        // workflow applied it): the task closed as this person completed it is that completion.
        if (idempotencyKey && task.status === 'completed' && task.completed_by === user.id && task.outcome === body.outcome) {
          return { task: taskView(task), run: await runSummary(pool, task) };
        }
        if (task.status !== 'open') throw conflict('task_not_open', `the task is already ${task.status}`);
        // As in Tasklist, a task is completed by the person holding it: someone else's claim is refused
        // (a manager releases or reassigns it first), so two people never work one task unknowingly.
        if (task.claimed_by && task.claimed_by !== user.id) throw claimedBySomeoneElse(task.claimed_by);
        if (!task.outcomes.some((o) => o.key === body.outcome)) {
          throw invalid([{ code: 'outcome_not_allowed', message: `outcome must be one of: ${task.outcomes.map((o) => o.key).join(', ')}`, path: ['outcome'] }]);
        }
        const form = formSchema(task.form).safeParse(body.form);
        if (!form.success) throw invalid(problemsFromZod(form.error.issues, ['form']), 'the form is not valid');
        if (!task.claimed_by) {
          // Unclaimed and the person may work it: completing claims it first, in its own audited step, so
          // a concurrent completer finds it held and is refused before the run sees a second submit.
          const claimed = await inTransaction(pool, async (db) => {
            const row = await claim(db, task.id, user.id);
            if (row) await auditTask(db, user, 'task_claimed', task, { onComplete: true });
            return row;
          });
          if (!claimed) {
            const now = await taskById(pool, task.id);
            if (now.status !== 'open') throw conflict('task_not_open', `the task is already ${now.status}`);
            throw claimedBySomeoneElse(now.claimed_by ?? 'someone else');
          }
        }
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
        return { task: taskView(await taskById(pool, task.id)), run: result };
      },
    }),
  ];
}
