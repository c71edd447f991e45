import { useController, useFieldArray, useFormContext } from 'react-hook-form';
import { DurationInput } from './DurationInput';
import { defaultValue, type Field } from './fields';
import { FieldShell, FieldView, errorMessages } from './FieldView';
import { fieldId, useNodeForm } from './FormContext';
import { optionsFor } from './options';
import { NumberInput, SelectInput, TextInput } from './widgets';

type ListFieldDef = Extract<Field, { type: 'list' }>;

/** Repeatable groups: outcomes, tiers, rules, reminders... with add, remove and reorder. */
export function ListField({ field, path }: { field: ListFieldDef; path: string }) {
  const structured = field.item.type === 'object' || field.item.type === 'union' || field.item.type === 'condition';
  return structured ? <ObjectList field={field} path={path} /> : <ValueList field={field} path={path} />;
}

function ListHeader({ field, count }: { field: ListFieldDef; count: number }) {
  return (
    <legend>
      {field.label} <span className="count">{count}</span>
    </legend>
  );
}

function ObjectList({ field, path }: { field: ListFieldDef; path: string }) {
  const { control, getFieldState, formState } = useFormContext();
  const { fields: items, append, remove, move } = useFieldArray({ control, name: path });
  const { problemsByPath } = useNodeForm();
  const listErrors = [...errorMessages(getFieldState(path, formState).error?.root), ...(problemsByPath.get(path) ?? [])];
  const ownError = getFieldState(path, formState).error?.message;
  const canRemove = items.length > (field.minItems ?? 0);
  const canAdd = field.maxItems === undefined || items.length < field.maxItems;
  return (
    <fieldset className="group group--list">
      <ListHeader field={field} count={items.length} />
      {field.help && <p className="field__help">{field.help}</p>}
      {items.map((item, i) => {
        const itemPath = `${path}.${i}`;
        const name = `${field.item.label} ${i + 1}`;
        return (
          <div key={item.id} className="list-item" role="group" aria-label={name}>
            <div className="list-item__head">
              <span>{name}</span>
              <span className="list-item__tools">
                <button type="button" className="icon-btn" aria-label={`Move ${name} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                  ↑
                </button>
                <button type="button" className="icon-btn" aria-label={`Move ${name} down`} disabled={i === items.length - 1} onClick={() => move(i, i + 1)}>
                  ↓
                </button>
                <button type="button" className="icon-btn" aria-label={`Remove ${name}`} disabled={!canRemove} onClick={() => remove(i)}>
                  ×
                </button>
              </span>
            </div>
            {field.item.type === 'object' ? (
              field.item.fields.map((f) => <FieldView key={f.key} field={f} path={`${itemPath}.${f.key}`} />)
            ) : (
              <FieldView field={field.item} path={itemPath} />
            )}
          </div>
        );
      })}
      {[...(ownError ? [ownError] : []), ...listErrors].map((m) => (
        <p key={m} className="field__error" role="alert">
          {m}
        </p>
      ))}
      <button
        type="button"
        className="btn btn--small btn--ghost add-btn"
        disabled={!canAdd}
        onClick={() => append(defaultValue(field.item) as Record<string, unknown>)}
      >
        + Add {field.item.label.toLowerCase()}
      </button>
    </fieldset>
  );
}

/** Lists of plain values (tags, reminder offsets): one controlled array, one input per row. */
function ValueList({ field, path }: { field: ListFieldDef; path: string }) {
  const { field: ctl, fieldState } = useController({ name: path });
  const { graph, problemsByPath, departments } = useNodeForm();
  const items: unknown[] = Array.isArray(ctl.value) ? ctl.value : [];
  const set = (list: unknown[]) => ctl.onChange(list);
  const item = field.item;
  const messages = [...errorMessages(fieldState.error), ...(problemsByPath.get(path) ?? [])];
  const input = (value: unknown, i: number) => {
    const label = `${item.label} ${i + 1}`;
    const onChange = (v: unknown) => set(items.map((x, j) => (j === i ? v : x)));
    if (item.type === 'duration') return <DurationInput label={label} value={value as string | undefined} onChange={onChange} required />;
    if (item.type === 'number') return <NumberInput label={label} value={value as number | undefined} onChange={onChange} />;
    if (item.type === 'select')
      return <SelectInput label={label} value={value as string | undefined} onChange={onChange} options={optionsFor(item.source, graph, departments)} />;
    if (item.type === 'enum') return <SelectInput label={label} value={value as string | undefined} onChange={onChange} options={item.options} />;
    return <TextInput label={label} value={value as string | undefined} onChange={(v) => onChange(v ?? '')} required />;
  };
  return (
    <FieldShell id={fieldId(path)} field={field} messages={messages}>
      <div className="rows" id={fieldId(path)}>
        {items.map((value, i) => (
          <div className="row" key={i}>
            {input(value, i)}
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove ${item.label.toLowerCase()} ${i + 1}`}
              onClick={() => set(items.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn--small btn--ghost add-btn"
          disabled={field.maxItems !== undefined && items.length >= field.maxItems}
          aria-label={`Add to ${field.label.toLowerCase()}`}
          onClick={() => set([...items, defaultValue(item)])}
        >
          + Add
        </button>
      </div>
    </FieldShell>
  );
}
