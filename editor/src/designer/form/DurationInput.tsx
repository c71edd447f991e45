import { useState } from 'react';

/**
 * ISO 8601 durations as a number and a unit (PT4H, P3D, P2W). Anything else the schema accepts
 * (P2DT12H, PT30M) stays editable as text rather than being rounded behind the user's back.
 */
export type DurationUnit = 'hours' | 'days' | 'weeks';

const UNITS: { unit: DurationUnit; label: string }[] = [
  { unit: 'hours', label: 'hours' },
  { unit: 'days', label: 'days' },
  { unit: 'weeks', label: 'weeks' },
];

export function parseSimpleDuration(iso: string | undefined): { amount: number; unit: DurationUnit } | null {
  if (!iso) return null;
  const m = /^P(?:(\d+)W|(\d+)D|T(\d+)H)$/.exec(iso);
  if (!m) return null;
  if (m[1] !== undefined) return { amount: Number(m[1]), unit: 'weeks' };
  if (m[2] !== undefined) return { amount: Number(m[2]), unit: 'days' };
  return { amount: Number(m[3]), unit: 'hours' };
}

export function toIsoDuration(amount: number, unit: DurationUnit): string {
  return unit === 'hours' ? `PT${amount}H` : unit === 'weeks' ? `P${amount}W` : `P${amount}D`;
}

interface Props {
  id?: string;
  label?: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  required: boolean;
  invalid?: boolean;
}

export function DurationInput({ id, label, value, onChange, required, invalid }: Props) {
  const parsed = parseSimpleDuration(value);
  // The unit is remembered while the amount is empty, so clearing the number keeps "days".
  const [unit, setUnit] = useState<DurationUnit>(parsed?.unit ?? 'days');
  const shownUnit = parsed?.unit ?? unit;
  if (value && !parsed) {
    return (
      <div className="duration">
        <input
          id={id}
          type="text"
          aria-label={id ? undefined : label}
          aria-invalid={invalid || undefined}
          value={value}
          onChange={(e) => onChange(e.target.value || (required ? '' : undefined))}
        />
        <button type="button" className="btn btn--small" onClick={() => onChange(toIsoDuration(1, 'days'))} title="Use a number of hours, days or weeks">
          Simple
        </button>
      </div>
    );
  }
  const emit = (amount: number | null, u: DurationUnit) => {
    if (amount === null || !Number.isFinite(amount) || amount <= 0) onChange(required ? '' : undefined);
    else onChange(toIsoDuration(Math.round(amount), u));
  };
  return (
    <div className="duration">
      <input
        id={id}
        type="number"
        min={1}
        step={1}
        aria-label={id ? undefined : label}
        aria-invalid={invalid || undefined}
        placeholder={required ? '' : 'none'}
        value={parsed ? parsed.amount : ''}
        onChange={(e) => emit(e.target.value === '' ? null : e.target.valueAsNumber, shownUnit)}
      />
      <select
        aria-label={`${label ?? 'Duration'} unit`}
        value={shownUnit}
        onChange={(e) => {
          const u = e.target.value as DurationUnit;
          setUnit(u);
          if (parsed) emit(parsed.amount, u);
        }}
      >
        {UNITS.map((u) => (
          <option key={u.unit} value={u.unit}>
            {u.label}
          </option>
        ))}
      </select>
    </div>
  );
}
