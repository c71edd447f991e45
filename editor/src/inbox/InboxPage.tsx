import { useCallback, useEffect, useRef, useState } from 'react';
import { Empty } from '../components/Status';
import { navigate } from '../router';
import { useSession } from '../session';
import { InboxFilterBar } from './InboxFilterBar';
import { InboxTabs, OverdueBadge } from './InboxTabs';
import { inboxApi } from './inboxApi';
import { actionError, isManager } from './permissions';
import { TeamPanel } from './TeamPanel';
import './inbox.css';
import { TaskDetail } from './TaskDetail';
import { TaskList } from './TaskList';
import type { InboxFilters, InboxView } from './types';
import { useDirectory } from './useDirectory';
import { useInboxKeys } from './useInboxKeys';
import { useInboxList } from './useInboxList';
import { usePlaybooks } from './usePlaybooks';
import { useTaskEvents, type LiveState } from './useTaskEvents';

export const DEFAULT_FILTERS: InboxFilters = {
  view: 'all',
  status: 'open',
  due: '',
  priority: '',
  tier: '',
  churnReason: '',
  playbook: '',
  holder: '',
  q: '',
  sort: 'due',
};
const SEARCH_DEBOUNCE_MS = 300;

const isFiltered = (f: InboxFilters) => Boolean(f.due || f.priority || f.tier || f.churnReason || f.playbook || f.holder || f.q || f.status !== 'open');

/** The inbox: views, filters and the task list on the left; the open task on the right. */
export function InboxPage({ taskId }: { taskId: string | null }) {
  const { user } = useSession();
  const [filters, setFilters] = useState<InboxFilters>(DEFAULT_FILTERS);
  const [search, setSearch] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(taskId);
  const [detailSeq, setDetailSeq] = useState(0);
  const [toast, setToast] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const list = useInboxList(filters);
  const directory = useDirectory();
  const playbooks = usePlaybooks();

  useEffect(() => {
    const t = window.setTimeout(() => setFilters((f) => (f.q === search.trim() ? f : { ...f, q: search.trim() })), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(t);
  }, [search]);

  useEffect(() => {
    if (taskId) setSelectedId(taskId);
  }, [taskId]);

  useEffect(() => {
    if (!toast) return;
    const t = window.setTimeout(() => setToast(null), 4000);
    return () => window.clearTimeout(t);
  }, [toast]);

  const live = useTaskEvents((changes) => {
    list.refresh();
    if (taskId && (changes.length === 0 || changes.some((c) => c.id === taskId))) setDetailSeq((n) => n + 1);
  });

  const patch = useCallback((p: Partial<InboxFilters>) => setFilters((f) => ({ ...f, ...p })), []);
  const clear = useCallback(() => {
    setSearch('');
    setFilters((f) => ({ ...DEFAULT_FILTERS, view: f.view, sort: f.sort }));
  }, []);

  const open = (id: string | null) => navigate({ name: 'inbox', taskId: id });
  const manager = isManager(user);
  const [teamSeq, setTeamSeq] = useState(0);
  /** After completing: the next open task in the list's order (the completed one drops out of it). */
  const openNext = () => {
    const tasks = list.tasks.filter((t) => t.status === 'open' && t.id !== taskId);
    const at = list.tasks.findIndex((t) => t.id === taskId);
    const next = tasks.find((t) => list.tasks.indexOf(t) > at) ?? tasks[0];
    if (next) open(next.id);
    else {
      setToast('No more open tasks in this view.');
      open(null);
    }
  };

  useInboxKeys({
    move(delta) {
      const tasks = list.tasks;
      if (tasks.length === 0) return;
      const at = tasks.findIndex((t) => t.id === selectedId);
      const next = tasks[at === -1 ? (delta === 1 ? 0 : tasks.length - 1) : Math.min(tasks.length - 1, Math.max(0, at + delta))];
      setSelectedId(next.id);
      document.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(next.id)}"]`)?.focus();
    },
    open: () => selectedId && open(selectedId),
    claim() {
      const task = list.tasks.find((t) => t.id === selectedId);
      if (!task) return;
      inboxApi.claim(task.id).then(
        () => {
          setToast(`You claimed “${task.title}”.`);
          list.refresh();
          if (task.id === taskId) setDetailSeq((n) => n + 1);
        },
        (e: unknown) => setToast(actionError(e, directory.byId)),
      );
    },
    search: () => searchRef.current?.focus(),
    close: () => taskId && open(null),
  });

  const filtered = isFiltered(filters);
  return (
    <div className={taskId ? 'inbox has-detail' : 'inbox'} data-testid="inbox">
      <section className="inbox__list" aria-label="Task list">
        <div className="inbox__head">
          <h1>Inbox</h1>
          <OverdueBadge counts={list.counts} active={filters.due === 'overdue'} onToggle={() => patch({ due: filters.due === 'overdue' ? '' : 'overdue' })} />
          <LiveBadge state={live} onRefresh={list.refresh} />
        </div>
        <InboxTabs
          view={filters.view}
          counts={list.counts}
          team={manager}
          onView={(view: InboxView) => patch({ view, holder: view === 'team' ? filters.holder : '' })}
        />
        {filters.view === 'team' && manager && (
          <>
            <div className="field team-holder">
              <label htmlFor="f-holder" className="filter__label">
                Held by
              </label>
              <select id="f-holder" value={filters.holder} onChange={(e) => patch({ holder: e.target.value })}>
                <option value="">Anyone</option>
                <option value="nobody">Nobody (queue)</option>
                {directory.list
                  .filter((u) => u.role === 'rep' || u.role === 'department_head')
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.displayName}
                    </option>
                  ))}
              </select>
            </div>
            <TeamPanel
              users={directory.list}
              holder={filters.holder}
              onHolder={(holder) => patch({ holder })}
              reloadSeq={teamSeq}
              onHandedOver={(text) => {
                setToast(text);
                list.refresh();
              }}
            />
          </>
        )}
        <InboxFilterBar
          filters={filters}
          search={search}
          searchRef={searchRef}
          onSearch={setSearch}
          onChange={patch}
          onClear={clear}
          filtered={filtered}
          playbooks={playbooks.list}
        />
        <div className="inbox__rows">
          <TaskList
            list={list}
            view={filters.view}
            selectedId={selectedId}
            openId={taskId}
            users={directory.byId}
            playbookName={playbooks.nameOf}
            filtered={filtered}
            onClearFilters={clear}
          />
        </div>
        <p className="inbox__keys small muted" aria-hidden="true">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>c</kbd> claim · <kbd>/</kbd> search · <kbd>Esc</kbd> close
        </p>
        <div className="toast-region" role="status" aria-live="polite">
          {toast && <div className="toast">{toast}</div>}
        </div>
      </section>
      <section className="inbox__detail" aria-label="Task detail">
        {taskId ? (
          <TaskDetail
            key={taskId}
            taskId={taskId}
            reloadSeq={detailSeq}
            directory={directory}
            playbookName={playbooks.nameOf}
            onClose={() => open(null)}
            onChanged={() => {
              list.refresh();
              setTeamSeq((n) => n + 1);
            }}
            onOpenNext={openNext}
          />
        ) : (
          <div className="inbox__placeholder">
            <Empty title={`Hello, ${user.displayName.split(' ')[0]}`}>Pick a task on the left to see its customer, instructions and form.</Empty>
          </div>
        )}
      </section>
    </div>
  );
}

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Live updates off',
  unsupported: 'Live updates unavailable',
};

function LiveBadge({ state, onRefresh }: { state: LiveState; onRefresh: () => void }) {
  return (
    <div className="live">
      <span className={`live__dot live__dot--${state}`} aria-hidden="true" />
      <span className="small muted" data-testid="live-state" data-state={state}>
        {LIVE_TEXT[state]}
      </span>
      {state !== 'live' && (
        <button type="button" className="btn btn--ghost btn--small" onClick={onRefresh}>
          Refresh
        </button>
      )}
    </div>
  );
}
