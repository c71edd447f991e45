import type { FormField, FormValue } from './types';

/** What an input holds while being edited: text for most fields, a flag for checkboxes. */
export type DraftValue = string | boolean;

interface Props {
  field: FormField;
  idPrefix: string;
  value: DraftValue;
  error: string | undefined;
  disabled: boolean;
  onChange: (value: DraftValue) => void;
}

/** One generated form field with its label, required marker and error line. */
export function FieldInput({ field, idPrefix, value, error, disabled, onChange }: Props) {
  const id = `${idPrefix}-${field.key}`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: field.key,
    disabled,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
    'aria-required': field.required || undefined,
    'data-testid': `field-${field.key}`,
  };
  const text = typeof value === 'string' ? value : '';

  let control;
  switch (field.type) {
    case 'textarea':
      control = <textarea {...common} rows={3} value={text} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'number':
    case 'money':
      control = (
        <input
          {...common}
          type="number"
          inputMode="decimal"
          step={field.type === 'money' ? '0.01' : 'any'}
          min={field.type === 'money' ? 0 : undefined}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'date':
      control = <input {...common} type="date" value={text} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'choice':
      control = (
        <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">Choose…</option>
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean':
      return (
        <div className="field field--check">
          <label htmlFor={id}>
            <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
            <span>{field.label}</span>
          </label>
          {error && <FieldError id={errorId} message={error} />}
        </div>
      );
    default:
      control = <input {...common} type="text" value={text} onChange={(e) => onChange(e.target.value)} />;
  }

  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {field.required && (
          <span className="field__required" title="required">
            {' '}
            *
          </span>
        )}
      </label>
      {control}
      {error && <FieldError id={errorId} message={error} />}
    </div>
  );
}

function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p className="field__error" id={id}>
      {message}
    </p>
  );
}

export function initialDraft(field: FormField): DraftValue {
  return field.type === 'boolean' ? false : '';
}

/** Client-side checks; the server re-checks with the same rules and its problems land here too. */
export function checkField(field: FormField, value: DraftValue): { value?: FormValue; error?: string } {
  if (field.type === 'boolean') return { value: value === true };
  const text = typeof value === 'string' ? value : '';
  if (text.trim() === '') return field.required ? { error: 'Required' } : {};
  if (field.type === 'number' || field.type === 'money') {
    const n = Number(text);
    if (!Number.isFinite(n)) return { error: 'Enter a number' };
    if (field.type === 'money' && n < 0) return { error: 'Must be 0 or more' };
    return { value: n };
  }
  if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text)) return { error: 'Enter a date' };
  return { value: text };
}
