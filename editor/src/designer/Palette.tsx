import { useMemo, useState, type CSSProperties } from 'react';
import { NODE_KINDS } from '../../../playbooks/nodes';
import { kindStyle } from '../canvas/nodeKinds';
import { KIND_MIME } from './DesignerCanvas';

/** The order of the palette's groups; each kind names its group (and place in it), and kinds of any other group land in "More". */
const GROUP_ORDER = ['Flow', 'People', 'Customer'];

interface Props {
  onAdd: (kind: string) => void;
  disabled: boolean;
  /** Collapsed to a strip of icons: every step can still be dragged or added. */
  compact: boolean;
  onToggle(): void;
}

/**
 * Every node kind from the registry: drag one onto the canvas, or click (or Enter) to add it beside
 * the selected step, or in the middle of the canvas when none is selected.
 */
export function Palette({ onAdd, disabled, compact, onToggle }: Props) {
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const byOrder = [...NODE_KINDS].sort((a, b) => a.palette.order - b.palette.order);
    const all = [
      ...GROUP_ORDER.map((title) => ({ title, kinds: byOrder.filter((k) => k.palette.group === title) })),
      { title: 'More', kinds: NODE_KINDS.filter((k) => !GROUP_ORDER.includes(k.palette.group)) },
    ];
    const q = compact ? '' : filter.trim().toLowerCase();
    return all
      .map((g) => ({
        title: g.title,
        kinds: g.kinds.filter((kind) => !q || `${kind.label} ${kind.description} ${kind.kind}`.toLowerCase().includes(q)),
      }))
      .filter((g) => g.kinds.length > 0);
  }, [filter, compact]);

  return (
    <aside className={compact ? 'palette palette--compact' : 'palette'} aria-label="Steps" id="designer-palette">
      <div className="palette__head">
        <div className="palette__title">
          {!compact && <h2>Steps</h2>}
          <button
            type="button"
            className="icon-btn palette__toggle"
            onClick={onToggle}
            aria-expanded={!compact}
            aria-controls="designer-palette"
            aria-label={compact ? 'Show step descriptions' : 'Collapse the steps palette'}
            title={compact ? 'Show step descriptions' : 'Collapse to icons'}
          >
            {compact ? '»' : '«'}
          </button>
        </div>
        {!compact && <input type="search" placeholder="Find a step…" aria-label="Find a step" value={filter} onChange={(e) => setFilter(e.target.value)} />}
      </div>
      <div className="palette__list">
        {groups.map((g) => (
          <section key={g.title} aria-label={g.title}>
            {!compact && <h3>{g.title}</h3>}
            {g.kinds.map((k) => {
              const style = kindStyle(k.kind);
              return (
                <button
                  key={k.kind}
                  type="button"
                  className="palette__item"
                  draggable={!disabled}
                  disabled={disabled}
                  data-kind={k.kind}
                  style={{ '--kind-color': style.color } as CSSProperties}
                  aria-label={compact ? k.label : undefined}
                  title={`${compact ? `${k.label}: ` : ''}${k.description}\nDrag onto the canvas, or press Enter to add it beside the selected step.`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(KIND_MIME, k.kind);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={() => onAdd(k.kind)}
                >
                  <span className="palette__icon" aria-hidden="true">
                    {k.icon}
                  </span>
                  {!compact && (
                    <span className="palette__text">
                      <span className="palette__label">{k.label}</span>
                      <span className="palette__desc">{k.description}</span>
                    </span>
                  )}
                </button>
              );
            })}
          </section>
        ))}
      </div>
    </aside>
  );
}
