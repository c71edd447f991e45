import { useMemo, useState, type CSSProperties } from 'react';
import { NODE_KINDS } from '../../../playbooks/nodes';
import { kindStyle } from '../canvas/nodeKinds';
import { KIND_MIME } from './DesignerCanvas';

/** The order of the palette's groups; each kind names its group (and place in it), and kinds of any other group land in "More". */
const GROUP_ORDER = ['Flow', 'People', 'Customer'];

interface Props {
  onAdd: (kind: string) => void;
  disabled: boolean;
}

/** Every node kind from the registry: drag one onto the canvas, or click to add it in the middle. */
export function Palette({ onAdd, disabled }: Props) {
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const byOrder = [...NODE_KINDS].sort((a, b) => a.palette.order - b.palette.order);
    const all = [
      ...GROUP_ORDER.map((title) => ({ title, kinds: byOrder.filter((k) => k.palette.group === title) })),
      { title: 'More', kinds: NODE_KINDS.filter((k) => !GROUP_ORDER.includes(k.palette.group)) },
    ];
    const q = filter.trim().toLowerCase();
    return all
      .map((g) => ({
        title: g.title,
        kinds: g.kinds.filter((kind) => !q || `${kind.label} ${kind.description} ${kind.kind}`.toLowerCase().includes(q)),
      }))
      .filter((g) => g.kinds.length > 0);
  }, [filter]);

  return (
    <aside className="palette" aria-label="Steps">
      <div className="palette__head">
        <h2>Steps</h2>
        <input type="search" placeholder="Find a step…" aria-label="Find a step" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <div className="palette__list">
        {groups.map((g) => (
          <section key={g.title}>
            <h3>{g.title}</h3>
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
                  title={`${k.description}\nDrag onto the canvas, or click to add.`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(KIND_MIME, k.kind);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={() => onAdd(k.kind)}
                >
                  <span className="palette__icon" aria-hidden="true">
                    {k.icon}
                  </span>
                  <span className="palette__text">
                    <span className="palette__label">{k.label}</span>
                    <span className="palette__desc">{k.description}</span>
                  </span>
                </button>
              );
            })}
          </section>
        ))}
      </div>
    </aside>
  );
}
