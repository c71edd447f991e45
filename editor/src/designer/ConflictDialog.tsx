import { formatDateTime } from '../format';
import type { DraftConflict } from './designerApi';
import { Dialog } from './Dialog';

interface Props {
  conflict: DraftConflict;
  busy: boolean;
  onReloadTheirs: () => void;
  onOverwrite: () => void;
}

/** The 412 choice. No close button: leaving it open keeps autosave stopped, which is the safe state. */
export function ConflictDialog({ conflict, busy, onReloadTheirs, onOverwrite }: Props) {
  const who = conflict.updatedBy ?? 'Someone';
  const when = conflict.updatedAt ? formatDateTime(conflict.updatedAt) : 'recently';
  return (
    <Dialog
      title="Someone else changed this draft"
      footer={
        <>
          <button type="button" className="btn" disabled={busy} onClick={onReloadTheirs}>
            Reload theirs (discard mine)
          </button>
          <button type="button" className="btn btn--danger" disabled={busy} onClick={onOverwrite}>
            Overwrite with mine
          </button>
        </>
      }
    >
      <p>
        <strong>{who}</strong> saved revision {conflict.currentRevision} of this draft ({when}) after you opened it. Your latest changes are not saved, and
        autosave is paused.
      </p>
      <ul className="choice-list">
        <li>
          <strong>Reload theirs</strong> shows their draft and drops your unsaved changes.
        </li>
        <li>
          <strong>Overwrite</strong> saves your version on top of theirs; their changes are lost.
        </li>
      </ul>
    </Dialog>
  );
}
