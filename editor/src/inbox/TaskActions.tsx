import { useState } from 'react';
import { useSession } from '../session';
import { inboxApi } from './inboxApi';
import { actionError, type TaskAbilities } from './permissions';
import { ReassignForm, SnoozeForm } from './TaskActionForms';
import type { DirectoryUser, Task } from './types';

interface Props {
  task: Task;
  can: TaskAbilities;
  users: DirectoryUser[];
  directory: ReadonlyMap<string, DirectoryUser>;
  onChanged: (message: string) => void;
  onError: (message: string) => void;
}

type Panel = 'none' | 'snooze' | 'reassign';

/** Claim / release, snooze and reassign, with their small forms opening below the buttons. */
export function TaskActions({ task, can, users, directory, onChanged, onError }: Props) {
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<Panel>('none');

  async function run(action: () => Promise<unknown>, message: string) {
    setBusy(true);
    try {
      await action();
      setPanel('none');
      onChanged(message);
    } catch (e) {
      onError(actionError(e, directory));
    } finally {
      setBusy(false);
    }
  }

  const toggle = (p: Panel) => setPanel((cur) => (cur === p ? 'none' : p));
  const anything = can.claim || can.unclaim || can.snooze || can.reassign;
  if (!anything) return null;

  return (
    <div className="task-actions">
      <div className="task-actions__buttons">
        {can.claim && (
          <button
            type="button"
            className="btn btn--primary btn--small"
            disabled={busy}
            onClick={() => void run(() => inboxApi.claim(task.id), 'You claimed this task.')}
          >
            Claim
          </button>
        )}
        {can.unclaim && (
          <button
            type="button"
            className="btn btn--small"
            disabled={busy}
            onClick={() => void run(() => inboxApi.unclaim(task.id), 'The task is back in its queue.')}
          >
            {task.claimedBy === user.id ? 'Unclaim' : 'Release claim'}
          </button>
        )}
        {can.snooze && (
          <button type="button" className="btn btn--small" aria-expanded={panel === 'snooze'} disabled={busy} onClick={() => toggle('snooze')}>
            Snooze…
          </button>
        )}
        {can.reassign && (
          <button type="button" className="btn btn--small" aria-expanded={panel === 'reassign'} disabled={busy} onClick={() => toggle('reassign')}>
            Reassign…
          </button>
        )}
      </div>
      {panel === 'snooze' && (
        <SnoozeForm
          busy={busy}
          onCancel={() => setPanel('none')}
          onSubmit={(until, note) => run(() => inboxApi.snooze(task.id, until, note), 'Snoozed; it comes back on its follow-up date.')}
        />
      )}
      {panel === 'reassign' && (
        <ReassignForm
          task={task}
          users={users}
          busy={busy}
          onCancel={() => setPanel('none')}
          onSubmit={(userId, reason) => run(() => inboxApi.reassign(task.id, userId, reason), userId ? 'Reassigned.' : 'Sent back to the queue.')}
        />
      )}
    </div>
  );
}
