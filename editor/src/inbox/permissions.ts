import { ApiError, errorMessage } from '../api';
import type { User } from '../types';
import { userName } from './format';
import type { DirectoryUser, Task } from './types';
import { inGroup, MANAGERS, WORKERS } from '../../../contract/roles';

/** What the signed-in person may do with one task; the server re-checks every one of these. */
export interface TaskAbilities {
  claim: boolean;
  unclaim: boolean;
  complete: boolean;
  snooze: boolean;
  reassign: boolean;
  note: boolean;
  /** Why completion is not offered, when it is not. */
  blockedBy: string | null;
}

export const isManager = (user: User) => inGroup(MANAGERS, user.role);

export function abilities(user: User, task: Task, users: ReadonlyMap<string, DirectoryUser>): TaskAbilities {
  const open = task.status === 'open';
  const worker = inGroup(WORKERS, user.role);
  const manager = isManager(user);
  const claimedByOther = task.claimedBy !== null && task.claimedBy !== user.id;
  let blockedBy: string | null = null;
  if (!open) blockedBy = `This task is ${task.status}.`;
  else if (!worker) blockedBy = 'Your role can read tasks but not work them.';
  else if (claimedByOther && !manager) blockedBy = `${userName(users, task.claimedBy)} has claimed this task.`;
  return {
    claim: open && worker && task.claimedBy === null,
    unclaim: open && worker && task.claimedBy !== null && (task.claimedBy === user.id || manager),
    complete: blockedBy === null,
    snooze: open && worker && !(claimedByOther && !manager),
    reassign: open && manager,
    note: worker,
    blockedBy,
  };
}

/** A person-friendly message for a refused task action. */
export function actionError(e: unknown, users: ReadonlyMap<string, DirectoryUser>): string {
  if (e instanceof ApiError) {
    if (e.code === 'task_claimed') {
      const by = (e.details as { claimedBy?: unknown } | undefined)?.claimedBy;
      return typeof by === 'string' ? `${userName(users, by)} has already claimed this task.` : 'Someone else has already claimed this task.';
    }
    if (e.code === 'task_not_open') return 'Someone else already closed this task; it has been refreshed.';
    if (e.status === 403) return 'You are not allowed to do that with this task.';
    if (e.code === 'workers_unavailable')
      return 'The playbook workers are not running, so nothing was changed. Try again in a minute; if it persists, tell your administrator.';
    if (e.code === 'temporal_timeout')
      return 'The system did not confirm in time; it may still apply this. Press the same outcome again to check: it is never applied twice.';
    if (e.code === 'temporal_unavailable' || e.code === 'unavailable')
      return 'The system is briefly unavailable, so nothing was changed. Try again in a moment.';
  }
  return errorMessage(e);
}
