import type { ReactNode } from 'react';
import { useController, useFormContext, useWatch, type FieldError } from 'react-hook-form';
import type { Condition } from '../../../../playbooks/nodes/decision';
import { ConditionEditor } from './ConditionEditor';
import { DurationInput } from './DurationInput';
import { defaultsFor, defaultValue, type Field } from './fields';
import { fieldId, useNodeForm } from './FormContext';
import { ListField } from './ListField';
import { optionsFor } from './options';
import { Checkbox, MultiCheck, NumberInput, RecordEditor, SelectInput, TextInput } from './widgets';

/** Renders one generated field at a react-hook-form path; composite fields recurse. */
export function FieldView({ field, path }: { field: Field; path: string }) {
  switch (field.type) {
    case 'object':
      return (
        <fieldset className="group">
          <legend>{field.label}</legend>
          {field.help && <p className="field__help">{field.help}</p>}
          {field.fields.map((f) => (
            <FieldView key={f.key} field={f} path={`${path}.${f.key}`} />
          ))}
        </fieldset>
      );
    case 'union':
      return <UnionField field={field} path={path} />;
    case 'list':
      return <ListField field={field} path={path} />;
    case 'valueSource':
      return <ValueSourceField field={field} path={path} />;
    default:
      return <LeafField field={field} path={path} />;
  }
}

/** Every message in an error subtree: composite editors (conditions, records) show them together. */
export function errorMessages(error: FieldError | Record<string, unknown> | undefined): string[] {
  if (!error || typeof error !== 'object') return [];
  const own = typeof error.message === 'string' && error.message ? [error.message] : [];
  const nested = Object.entries(error)
    .filter(([k, v]) => k !== 'ref' && k !== 'message' && k !== 'type' && v && typeof v === 'object')
    .flatMap(([, v]) => errorMessages(v as Record<string, unknown>));
  return [...new Set([...own, ...nested])];
}

export function FieldShell({ id, field, messages, children, inline }: { id: string; field: Field; messages: string[]; children: ReactNode; inline?: boolean }) {
  return (
    <div className={inline ? 'field field--check' : 'field'}>
      {!inline && (
        <label htmlFor={id}>
          {field.label}
          {field.required && field.default === undefined && (
            <span className="field__required" aria-hidden="true">
              {' '}
              *
            </span>
          )}
        </label>
      )}
      {children}
      {field.help && <p className="field__help">{field.help}</p>}
      {messages.map((m) => (
        <p key={m} className="field__error" role="alert">
          {m}
        </p>
      ))}
    </div>
  );
}

function LeafField({ field, path }: { field: Field; path: string }) {
  const { field: ctl, fieldState } = useController({ name: path });
  const { graph, problemsByPath, departments } = useNodeForm();
  const id = fieldId(path);
  const messages = [...errorMessages(fieldState.error), ...(problemsByPath.get(path) ?? [])];
  const invalid = messages.length > 0;
  const value: unknown = ctl.value === undefined ? field.default : ctl.value;
  const common = { id, label: field.label, invalid };
  let input: ReactNode;
  switch (field.type) {
    case 'text':
      input = <TextInput {...common} value={value as string | undefined} onChange={ctl.onChange} multiline={field.multiline} required={field.required} />;
      break;
    case 'number':
      input = <NumberInput {...common} value={value as number | undefined} onChange={ctl.onChange} min={field.min} max={field.max} integer={field.integer} />;
      break;
    case 'boolean':
      return (
        <FieldShell id={id} field={field} messages={messages} inline>
          <Checkbox id={id} label={field.label} value={value as boolean | undefined} onChange={ctl.onChange} />
        </FieldShell>
      );
    case 'enum':
      input = (
        <SelectInput
          {...common}
          value={value as string | undefined}
          onChange={ctl.onChange}
          options={field.options}
          noneLabel={field.required || field.default !== undefined ? undefined : '— none —'}
        />
      );
      break;
    case 'select':
      input = (
        <SelectInput
          {...common}
          value={value as string | undefined}
          onChange={ctl.onChange}
          options={optionsFor(field.source, graph, departments)}
          noneLabel={field.required || field.default !== undefined ? undefined : '— none —'}
        />
      );
      break;
    case 'multiselect':
      input = <MultiCheck {...common} value={value as string[] | undefined} onChange={ctl.onChange} options={optionsFor(field.source, graph, departments)} />;
      break;
    case 'duration':
      input = (
        <DurationInput {...common} value={value as string | undefined} onChange={ctl.onChange} required={field.required && field.default === undefined} />
      );
      break;
    case 'record':
      input = <RecordEditor value={value as Record<string, string> | undefined} onChange={ctl.onChange} />;
      break;
    case 'condition':
      input = <ConditionEditor value={value as Condition | undefined} onChange={ctl.onChange} graph={graph} />;
      break;
    default:
      input = <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
  }
  return (
    <FieldShell id={id} field={field} messages={messages}>
      {input}
    </FieldShell>
  );
}

function UnionField({ field, path }: { field: Extract<Field, { type: 'union' }>; path: string }) {
  const { control, setValue } = useFormContext();
  const current = useWatch({ control, name: `${path}.${field.discriminator}` }) as string | undefined;
  const variant = field.variants.find((v) => v.value === current);
  const id = fieldId(`${path}.${field.discriminator}`);
  return (
    <fieldset className="group">
      <legend>{field.label}</legend>
      <div className="field">
        <label htmlFor={id}>{`${field.label} type`}</label>
        <SelectInput
          id={id}
          value={current}
          options={field.variants}
          onChange={(v) => {
            const next = field.variants.find((x) => x.value === v);
            // A new variant starts from its own defaults: the old variant's keys would not parse.
            if (next) setValue(path, { [field.discriminator]: next.value, ...defaultsFor(next.fields) }, { shouldValidate: true, shouldDirty: true });
          }}
        />
      </div>
      {variant?.fields.map((f) => (
        <FieldView key={`${variant.value}.${f.key}`} field={f} path={`${path}.${f.key}`} />
      ))}
    </fieldset>
  );
}

const SOURCE_OPTIONS = [
  { value: 'fixed', label: 'A fixed value' },
  { value: 'var', label: 'A run variable or customer field' },
];
const VARIABLE_FIELD: Field = { key: 'name', label: 'Run variable', required: true, type: 'select', source: 'variables' };

/** A fixed value, or the run variable it comes from (`{ from: 'var', name }`): a choice of the two, then the chosen input. */
function ValueSourceField({ field, path }: { field: Extract<Field, { type: 'valueSource' }>; path: string }) {
  const { control, setValue } = useFormContext();
  const value: unknown = useWatch({ control, name: path });
  const fromVariable = !!value && typeof value === 'object' && (value as { from?: unknown }).from === 'var';
  const id = fieldId(`${path}.from`);
  return (
    <fieldset className="group">
      <legend>{field.label}</legend>
      {field.help && <p className="field__help">{field.help}</p>}
      <div className="field">
        <label htmlFor={id}>{`${field.label}: where it comes from`}</label>
        <SelectInput
          id={id}
          value={fromVariable ? 'var' : 'fixed'}
          options={SOURCE_OPTIONS}
          onChange={(v) =>
            setValue(path, v === 'var' ? { from: 'var', name: '' } : field.required ? defaultValue(field.literal) : undefined, {
              shouldValidate: true,
              shouldDirty: true,
            })
          }
        />
      </div>
      {fromVariable ? <LeafField field={VARIABLE_FIELD} path={`${path}.name`} /> : <FieldView field={field.literal} path={path} />}
    </fieldset>
  );
}
