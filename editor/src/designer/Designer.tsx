import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Decorations } from '../canvas/flowCache';
import { href } from '../router';
import type { PlaybookGraph, Problem, VersionSummary } from '../types';
import { ConflictDialog } from './ConflictDialog';
import { DesignerCanvas } from './DesignerCanvas';
import { loadPlaybook, type LoadedPlaybook } from './designerApi';
import { Dialog } from './Dialog';
import { DiffPanel } from './DiffPanel';
import { connect, removeElements, updateNode } from './graphOps';
import type { LaidOut } from './layout';
import { Palette } from './Palette';
import { PALETTE_WIDTH, PANEL_WIDTH, useDesignerPrefs } from './prefs';
import { ProblemsPanel } from './ProblemsPanel';
import { Resizer } from './Resizer';
import { SettingsPanel } from './SettingsPanel';
import { ShortcutsHelp } from './ShortcutsHelp';
import { activeNodeIds, type Simulation } from './simulate/engine';
import { SimulatePanel } from './simulate/SimulatePanel';
import { StartRunDialog } from './StartRunDialog';
import { Toolbar } from './Toolbar';
import { useAutosave } from './useAutosave';
import { useCompare } from './useCompare';
import { useDesigner } from './useDesigner';
import { useEditCommands } from './useEditCommands';
import { useLiveCompile } from './useLiveCompile';
import { usePublish, type Notice } from './usePublish';
import { useShortcuts } from './useShortcuts';
import { VersionsPanel } from './VersionsPanel';

type Tab = 'settings' | 'problems' | 'simulate' | 'versions';
type Modal = { type: 'help' } | { type: 'startRun' } | { type: 'importProblems'; problems: Problem[] } | null;

const sameConfig = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The playbook designer: palette, canvas and side panel around one draft, saved as it changes. */
export function Designer({ loaded }: { loaded: LoadedPlaybook }) {
  const { detail } = loaded;
  const designer = useDesigner(detail.draft.graph);
  const { graph, state } = designer;
  const [meta, setMeta] = useState({ name: detail.name, description: detail.description });
  const doc = useMemo(() => ({ ...meta, graph }), [meta, graph]);
  const autosave = useAutosave(detail.key, doc, loaded.etag);
  const live = useLiveCompile(graph, detail);
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const [prefs, setPrefs] = useDesignerPrefs();
  const [tab, setTab] = useState<Tab>('settings');
  const [focus, setFocus] = useState<{ nodeId: string; seq: number } | null>(null);
  const [versions, setVersions] = useState<VersionSummary[]>(detail.versions);
  const [modal, setModal] = useState<Modal>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [laidOut, setLaidOut] = useState<{ at: LaidOut; ends: Map<string, string> } | null>(null);
  const [sim, setSim] = useState<{ sim: Simulation; graph: PlaybookGraph } | null>(null);
  const [resolving, setResolving] = useState(false);
  const compare = useCompare(detail.key, graph);
  const editable = !compare.comparison;
  const pub = usePublish(detail.key, autosave.save, setVersions, setNotice);
  const problems = pub.serverProblems?.graph === graph ? pub.serverProblems.problems : live.result.problems;

  const focusNode = useCallback(
    (nodeId: string) => {
      designer.select({ nodes: new Set([nodeId]), edges: new Set() });
      setFocus((f) => ({ nodeId, seq: (f?.seq ?? 0) + 1 }));
    },
    [designer],
  );

  const cmd = useEditCommands({
    designer,
    canvas: canvasRef,
    playbookKey: detail.key,
    name: meta.name,
    editable,
    direction: prefs.direction,
    onLaidOut: (at) => setLaidOut({ at, ends: new Map(graph.edges.map((e) => [e.id, `${e.source}>${e.sourceHandle}>${e.target}`])) }),
    onAdded: (id, reveal) => {
      setTab('settings');
      if (reveal) setFocus((f) => ({ nodeId: id, seq: (f?.seq ?? 0) + 1 }));
    },
    onImportProblems: (list) => setModal({ type: 'importProblems', problems: list }),
  });

  useShortcuts(
    {
      undo: designer.undo,
      redo: designer.redo,
      copy: cmd.copy,
      paste: cmd.paste,
      remove: cmd.remove,
      selectAll: cmd.selectAll,
      clearSelection: cmd.clear,
      fit: cmd.fit,
      layout: () => void cmd.layout(),
      connect: connectFromKeyboard,
      minimap: () => setPrefs((p) => ({ ...p, minimap: !p.minimap })),
      help: () => setModal({ type: 'help' }),
    },
    editable,
  );

  /** C: open the selected step's settings and put the focus on its first branch's "Leads to" list. */
  function connectFromKeyboard() {
    if (state.selection.nodes.size !== 1) return;
    setTab('settings');
    setPrefs((p) => (p.panel.open ? p : { ...p, panel: { ...p.panel, open: true } }));
    setTimeout(() => panelRef.current?.querySelector<HTMLSelectElement>('[data-connect-handle]')?.focus(), 0);
  }

  // A newly selected step's settings start at the top, not where the previous step's were scrolled to.
  // Only a scrolled panel is reset: writing scrollTop forces a layout of the whole page before the
  // click's frame (~30 ms on a 500-step playbook), for nothing when the panel is at the top already.
  const singleSelected = state.selection.nodes.size === 1 ? [...state.selection.nodes][0] : null;
  const panelScrolled = useRef(false);
  useEffect(() => {
    if (!panelRef.current || !panelScrolled.current) return;
    panelRef.current.scrollTop = 0;
    panelScrolled.current = false;
  }, [singleSelected]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 8000);
    return () => clearTimeout(t);
  }, [notice]);

  const onConfigChange = useCallback(
    (nodeId: string, config: Record<string, unknown>) =>
      designer.commit(
        (g) => {
          const node = g.nodes.find((n) => n.id === nodeId);
          return !node || sameConfig(node.config, config) ? g : updateNode(g, nodeId, { config });
        },
        { key: `config:${nodeId}` },
      ),
    [designer],
  );
  const onConnect = useCallback(
    (source: string, handle: string, target: string | null) =>
      designer.commit((g) =>
        target
          ? connect(g, source, handle, target)
          : removeElements(g, new Set(), new Set(g.edges.filter((e) => e.source === source && e.sourceHandle === handle).map((e) => e.id))),
      ),
    [designer],
  );
  const onRename = useCallback(
    (nodeId: string, name: string) => designer.commit((g) => updateNode(g, nodeId, { name }), { key: `name:${nodeId}` }),
    [designer],
  );

  // elk's routes stay drawn for the edges whose two steps have not moved (and whose ends are the same) since the layout.
  const routes = useMemo(() => {
    if (!laidOut) return undefined;
    const { positions, routes: all } = laidOut.at;
    const still = (id: string, p: { x: number; y: number }) => {
      const q = positions.get(id);
      return !!q && q.x === p.x && q.y === p.y;
    };
    const pos = new Map(graph.nodes.map((n) => [n.id, n.position]));
    const valid = new Map<string, readonly { x: number; y: number }[]>();
    for (const e of graph.edges) {
      const route = all.get(e.id);
      const s = pos.get(e.source);
      const t = pos.get(e.target);
      if (route && s && t && laidOut.ends.get(e.id) === `${e.source}>${e.sourceHandle}>${e.target}` && still(e.source, s) && still(e.target, t))
        valid.set(e.id, route);
    }
    return valid;
  }, [graph, laidOut]);

  const deco = useMemo<Decorations>(() => {
    if (compare.comparison) return { nodeDiff: compare.comparison.nodeDiff, edgeDiff: compare.comparison.edgeDiff };
    const problemsByNode = new Map<string, string[]>();
    for (const p of problems) if (p.nodeId) problemsByNode.set(p.nodeId, [...(problemsByNode.get(p.nodeId) ?? []), p.message]);
    const problemEdges = new Set(problems.flatMap((p) => (p.edgeId ? [p.edgeId] : [])));
    if (!sim) return { problemsByNode, problemEdges, routes };
    return { problemsByNode, problemEdges, routes, visits: sim.sim.state.visits, active: new Set(activeNodeIds(sim.sim)), taken: sim.sim.taken };
  }, [problems, sim, compare.comparison, routes]);

  async function reloadTheirs() {
    setResolving(true);
    try {
      const theirs = await loadPlaybook(detail.key);
      const d = theirs.detail;
      designer.reset(d.draft.graph);
      setMeta({ name: d.name, description: d.description });
      setVersions(d.versions);
      autosave.adopt({ name: d.name, description: d.description, graph: d.draft.graph }, theirs.etag);
      setNotice({ kind: 'info', text: `Loaded revision ${d.draft.revision} by ${d.draft.updatedBy}.` });
    } catch (e) {
      setNotice({ kind: 'error', text: `Could not load their draft: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setResolving(false);
    }
  }

  async function openCompare(from: number, to: number | 'draft') {
    if (await compare.open(from, to)) {
      designer.select({ nodes: new Set(), edges: new Set() });
      cmd.fit();
    }
  }

  const shownGraph = compare.comparison ? compare.comparison.merged : graph;
  const tabs: { id: Tab; label: string; badge?: number }[] = [
    { id: 'settings', label: 'Settings' },
    { id: 'problems', label: 'Problems', badge: problems.length },
    { id: 'simulate', label: 'Simulate' },
    { id: 'versions', label: 'Versions' },
  ];

  return (
    <div className="designer">
      <div className="designer__head">
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <a href={href({ name: 'playbooks' })}>Playbooks</a>
          <span aria-hidden="true">/</span>
          <a href={href({ name: 'playbook', key: detail.key })}>{meta.name || detail.key}</a>
          <span aria-hidden="true">/</span>
          <span>Edit</span>
        </nav>
        <Toolbar
          canUndo={state.history.past.length > 0}
          canRedo={state.history.future.length > 0}
          editable={editable}
          onUndo={designer.undo}
          onRedo={designer.redo}
          onLayout={() => void cmd.layout()}
          direction={prefs.direction}
          onDirection={(direction) => setPrefs((p) => ({ ...p, direction }))}
          onFit={cmd.fit}
          minimap={prefs.minimap}
          onMinimap={() => setPrefs((p) => ({ ...p, minimap: !p.minimap }))}
          onImport={cmd.importText}
          onExport={cmd.exportGraph}
          onHelp={() => setModal({ type: 'help' })}
          save={{ status: autosave.status, error: autosave.error, savedAt: autosave.savedAt, retry: () => void autosave.save() }}
          problemCount={problems.length}
          worstCaseMs={live.result.worstCaseDurationMs}
          compiling={live.pending}
          publishing={pub.publishing}
          onPublish={() => void pub.publish(graph)}
          onStartRun={() => setModal({ type: 'startRun' })}
          canStartRun={versions.length > 0}
        />
      </div>
      <div
        className="designer__body"
        style={{
          gridTemplateColumns: `${prefs.palette.open ? `${prefs.palette.width}px` : 'auto'} 8px minmax(0, 1fr) 8px ${prefs.panel.open ? `${prefs.panel.width}px` : 'auto'}`,
        }}
      >
        <Palette
          onAdd={cmd.add}
          disabled={!editable}
          compact={!prefs.palette.open}
          onToggle={() => setPrefs((p) => ({ ...p, palette: { ...p.palette, open: !p.palette.open } }))}
        />
        {prefs.palette.open ? (
          <Resizer
            label="Width of the steps palette"
            width={prefs.palette.width}
            min={PALETTE_WIDTH.min}
            max={PALETTE_WIDTH.max}
            grows={1}
            onResize={(width) => setPrefs((p) => ({ ...p, palette: { ...p.palette, width } }))}
          />
        ) : (
          <span />
        )}
        <div className="designer__canvas" ref={canvasRef}>
          {notice && (
            <div className={`ds-notice ds-notice--${notice.kind} canvas-notice`} role="status" data-testid="designer-notice">
              {notice.text}
              <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
                ×
              </button>
            </div>
          )}
          {compare.comparison && (
            <div className="canvas-banner">
              Comparing v{compare.comparison.from} → {compare.comparison.to === 'draft' ? 'draft' : `v${compare.comparison.to}`}: read-only
            </div>
          )}
          <DesignerCanvas
            graph={shownGraph}
            selection={state.selection}
            deco={deco}
            readOnly={!editable}
            onSelect={designer.select}
            onCommit={(g, key) => designer.commit(g, { key })}
            onReplace={designer.replace}
            onCheckpoint={designer.checkpoint}
            onSettle={designer.settle}
            onDropKind={cmd.dropKind}
            onOpenNode={() => setTab('settings')}
            focus={focus}
            minimap={prefs.minimap}
            expectedSize={{
              width: window.innerWidth - 40 - (prefs.palette.open ? prefs.palette.width : 56) - (prefs.panel.open ? prefs.panel.width : 44),
              height: window.innerHeight - 156,
            }}
          />
          {shownGraph.nodes.length === 0 && (
            <div className="canvas-empty">
              <strong>Start with a Start step</strong>
              <span>Drag steps from the left onto the canvas, then connect each labelled handle to the next step.</span>
            </div>
          )}
        </div>
        {prefs.panel.open ? (
          <Resizer
            label="Width of the side panel"
            width={prefs.panel.width}
            min={PANEL_WIDTH.min}
            max={PANEL_WIDTH.max}
            grows={-1}
            onResize={(width) => setPrefs((p) => ({ ...p, panel: { ...p.panel, width } }))}
          />
        ) : (
          <span />
        )}
        {!prefs.panel.open ? (
          <aside className="panel designer__panel designer__panel--collapsed" aria-label="Side panel (collapsed)">
            <button
              type="button"
              className="icon-btn"
              aria-expanded={false}
              aria-label="Show the side panel"
              title="Show the side panel"
              onClick={() => setPrefs((p) => ({ ...p, panel: { ...p.panel, open: true } }))}
            >
              «
            </button>
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                className="designer__panel-tab"
                onClick={() => {
                  setTab(t.id);
                  setPrefs((p) => ({ ...p, panel: { ...p.panel, open: true } }));
                }}
              >
                {t.label}
                {t.badge !== undefined && <span className={t.badge ? 'count count--bad' : 'count count--ok'}>{t.badge}</span>}
              </button>
            ))}
          </aside>
        ) : (
          <aside
            className="panel designer__panel"
            ref={panelRef}
            aria-label="Side panel"
            onScroll={(e) => (panelScrolled.current = e.currentTarget.scrollTop > 0)}
          >
            <div className="ds-tabs">
              <div className="ds-tabs__list" role="tablist" aria-label="Side panel">
                {tabs.map((t) => (
                  <button
                    key={t.id}
                    type="button"
                    role="tab"
                    aria-selected={tab === t.id}
                    className={tab === t.id ? 'ds-tab is-active' : 'ds-tab'}
                    onClick={() => setTab(t.id)}
                  >
                    {t.label}
                    {t.badge !== undefined && <span className={t.badge ? 'count count--bad' : 'count count--ok'}>{t.badge}</span>}
                  </button>
                ))}
              </div>
              <button
                type="button"
                className="icon-btn ds-tabs__collapse"
                aria-expanded={true}
                aria-label="Collapse the side panel"
                title="Collapse the side panel"
                onClick={() => setPrefs((p) => ({ ...p, panel: { ...p.panel, open: false } }))}
              >
                »
              </button>
            </div>
            {compare.comparison ? (
              <DiffPanel diff={compare.comparison.diff} from={compare.comparison.from} to={compare.comparison.to} onFocus={focusNode} onClose={compare.close} />
            ) : (
              <>
                {tab === 'settings' && (
                  <SettingsPanel
                    graph={graph}
                    selection={state.selection}
                    problems={problems}
                    epoch={state.epoch}
                    editable={editable}
                    playbook={{ key: detail.key, ...meta }}
                    onPlaybookChange={(patch) => setMeta((m) => ({ ...m, ...patch }))}
                    onRename={onRename}
                    onConfigChange={onConfigChange}
                    onDelete={cmd.remove}
                    onCopy={cmd.copy}
                    onSelectNode={focusNode}
                    onConnect={onConnect}
                  />
                )}
                {tab === 'problems' && (
                  <ProblemsPanel
                    problems={problems}
                    graph={graph}
                    pending={live.pending}
                    onPick={(nodeId) => {
                      focusNode(nodeId);
                      setTab('settings');
                    }}
                  />
                )}
                {/* The same plan object means the simulation continues; a new plan is a restart on the current graph. */}
                {tab === 'simulate' && (
                  <SimulatePanel
                    graph={graph}
                    sim={sim?.sim ?? null}
                    stale={!!sim && sim.graph !== graph}
                    problemCount={problems.length}
                    onChange={(s) => setSim((prev) => (s ? { sim: s, graph: prev?.sim.plan === s.plan ? prev.graph : graph } : null))}
                    onFocus={focusNode}
                  />
                )}
                {tab === 'versions' && <VersionsPanel versions={versions} loading={compare.loading} onCompare={(from, to) => void openCompare(from, to)} />}
                {compare.error && <p className="field__error panel__section">{compare.error}</p>}
              </>
            )}
          </aside>
        )}
      </div>
      {modal?.type === 'help' && <ShortcutsHelp onClose={() => setModal(null)} />}
      {modal?.type === 'startRun' && <StartRunDialog playbookKey={detail.key} versions={versions} onClose={() => setModal(null)} />}
      {modal?.type === 'importProblems' && (
        <Dialog title="This file is not a playbook graph" onClose={() => setModal(null)}>
          <ul className="problem-notes">
            {modal.problems.map((p, i) => (
              <li key={i}>
                {p.path.length > 0 && <code>{p.path.join('.')}</code>} {p.message}
              </li>
            ))}
          </ul>
          <p className="muted small">Nothing was changed.</p>
        </Dialog>
      )}
      {autosave.conflict && (
        <ConflictDialog
          conflict={autosave.conflict}
          busy={resolving}
          onReloadTheirs={() => void reloadTheirs()}
          onOverwrite={() => void autosave.overwrite()}
        />
      )}
    </div>
  );
}
