import { humanize } from '../format';

const MAX_DEPTH = 4;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPrimitive(v: unknown): v is string | number | boolean | null | undefined {
  return v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);
}

/**
 * Any JSON value as readable nested key/values. Node configs are open-ended (new kinds keep
 * arriving), so this renders whatever is there instead of knowing each kind's fields.
 */
export function ValueView({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (isPrimitive(value)) return <Primitive value={value} />;
  if (depth >= MAX_DEPTH) return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;

  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every(isPrimitive)) return <span>{value.map((v) => String(v)).join(', ')}</span>;
    return (
      <ol className="kv-list">
        {value.map((item, i) => (
          <li key={i}>
            <ValueView value={item} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }

  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return <span className="muted">empty</span>;
    return (
      <dl className="kv">
        {entries.map(([k, v]) => (
          // Nested structures get the full width under their label; side by side they get squeezed.
          <div className={isPrimitive(v) || (Array.isArray(v) && v.every(isPrimitive)) ? 'kv__row' : 'kv__row kv__row--block'} key={k}>
            <dt title={k}>{humanize(k)}</dt>
            <dd>
              <ValueView value={v} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span>{String(value)}</span>;
}

function Primitive({ value }: { value: string | number | boolean | null | undefined }) {
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <span>{value ? 'yes' : 'no'}</span>;
  return <span className="kv__text">{String(value)}</span>;
}
