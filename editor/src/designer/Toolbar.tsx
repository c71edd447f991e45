import { useRef } from 'react';
import { formatDateTime, formatDuration } from '../format';
import type { LayoutDirection } from './layout';
import type { SaveStatus } from './useAutosave';

interface Props {
  canUndo: boolean;
  canRedo: boolean;
  editable: boolean;
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  direction: LayoutDirection;
  onDirection(direction: LayoutDirection): void;
  onFit(): void;
  minimap: boolean;
  onMinimap(): void;
  onImport(text: string): void;
  onExport(): void;
  onHelp(): void;
  save: { status: SaveStatus; error: string | null; savedAt: Date | null; retry(): void };
  problemCount: number;
  worstCaseMs: number | null;
  compiling: boolean;
  publishing: boolean;
  onPublish(): void;
  onStartRun(): void;
  canStartRun: boolean;
}

const SAVE_TEXT: Record<SaveStatus, string> = {
  saved: 'All changes saved',
  dirty: 'Unsaved changes',
  saving: 'Saving…',
  error: 'Not saved',
  conflict: 'Draft changed elsewhere',
};

function SaveIndicator({ save }: { save: Props['save'] }) {
  const title = save.status === 'error' ? (save.error ?? undefined) : save.savedAt ? `Last saved ${formatDateTime(save.savedAt.toISOString())}` : undefined;
  return (
    <span className={`save-state save-state--${save.status}`} data-testid="save-state" data-status={save.status} title={title} role="status">
      <span className="save-state__dot" aria-hidden="true" />
      {SAVE_TEXT[save.status]}
      {save.status === 'error' && (
        <button type="button" className="linklike" onClick={save.retry}>
          Retry
        </button>
      )}
    </span>
  );
}

export function Toolbar(p: Props) {
  const file = useRef<HTMLInputElement>(null);
  const ready = p.problemCount === 0 && !p.compiling;
  return (
    <div className="toolbar" role="toolbar" aria-label="Designer">
      <div className="toolbar__group">
        <button type="button" className="tool" onClick={p.onUndo} disabled={!p.canUndo || !p.editable} title="Undo (Ctrl+Z)" aria-label="Undo">
          ↶
        </button>
        <button type="button" className="tool" onClick={p.onRedo} disabled={!p.canRedo || !p.editable} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
          ↷
        </button>
        <span className="toolbar__sep" />
        <button
          type="button"
          className="tool tool--text"
          onClick={p.onLayout}
          disabled={!p.editable}
          title={`Arrange the steps ${p.direction === 'RIGHT' ? 'left to right' : 'top to bottom'} (L)`}
        >
          Auto-layout
        </button>
        <select
          className="tool-select"
          aria-label="Layout direction"
          value={p.direction}
          disabled={!p.editable}
          onChange={(e) => p.onDirection(e.target.value as LayoutDirection)}
        >
          <option value="RIGHT">Left to right</option>
          <option value="DOWN">Top to bottom</option>
        </select>
        <button type="button" className="tool tool--text" onClick={p.onFit} title="Show the whole playbook (F)">
          Fit
        </button>
        <button type="button" className="tool tool--text" onClick={p.onMinimap} aria-pressed={p.minimap} title="Show or hide the overview map (M)">
          Map
        </button>
        <span className="toolbar__sep" />
        <button
          type="button"
          className="tool tool--text"
          onClick={() => file.current?.click()}
          disabled={!p.editable}
          title="Replace the graph with one from a JSON file"
        >
          Import
        </button>
        <input
          ref={file}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void f.text().then(p.onImport);
          }}
        />
        <button type="button" className="tool tool--text" onClick={p.onExport} title="Download the graph as a JSON file">
          Export
        </button>
        <button type="button" className="tool" onClick={p.onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
      <div className="toolbar__group toolbar__group--end">
        <SaveIndicator save={p.save} />
        <span className="toolbar__meta" data-testid="worst-case" title="The longest a run can take if every wait runs to its limit">
          {p.compiling
            ? 'Checking…'
            : ready
              ? p.worstCaseMs === null
                ? 'Worst case: unbounded loop'
                : `Worst case: ${formatDuration(p.worstCaseMs)}`
              : `${p.problemCount} problem${p.problemCount === 1 ? '' : 's'}`}
        </span>
        <button
          type="button"
          className="btn btn--small"
          onClick={p.onStartRun}
          disabled={!p.canStartRun}
          title={p.canStartRun ? 'Start a recovery attempt from a published version' : 'Publish a version first'}
        >
          Start run…
        </button>
        <button
          type="button"
          className="btn btn--primary btn--small"
          onClick={p.onPublish}
          disabled={!ready || p.publishing || !p.editable}
          title={ready ? 'Publish the draft as the next version' : 'Fix every problem first'}
        >
          {p.publishing ? 'Publishing…' : 'Publish'}
        </button>
      </div>
    </div>
  );
}
