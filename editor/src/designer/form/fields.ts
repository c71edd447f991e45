import { z } from 'zod';
import { findNodeKind, type AnyNodeKind } from '../../../../playbooks/nodes';
import { humanize } from '../../format';
import { isDurationSchema, zodAt } from './zodProbe';

/**
 * A node kind's zod config schema → a tree of form fields. Pure, so tests can check every kind;
 * the React side only renders what this returns. JSON Schema (from `z.toJSONSchema`) gives the
 * shape; names and a probe of the zod schema pick the friendlier pickers ("chosen from lists").
 */

/** Where a select's options come from; resolved at render time (variables depend on the graph). */
export type OptionSource = 'roles' | 'departments' | 'templates' | 'variables' | 'responseKinds';

interface FieldBase {
  key: string;
  label: string;
  help?: string;
  required: boolean;
  default?: unknown;
}

export type Field =
  | (FieldBase & { type: 'text'; multiline: boolean; maxLength?: number })
  | (FieldBase & { type: 'number'; integer: boolean; min?: number; max?: number })
  | (FieldBase & { type: 'boolean' })
  | (FieldBase & { type: 'enum'; options: { value: string; label: string }[] })
  | (FieldBase & { type: 'select'; source: OptionSource })
  | (FieldBase & { type: 'multiselect'; source: OptionSource })
  | (FieldBase & { type: 'duration' })
  | (FieldBase & { type: 'list'; item: Field; minItems?: number; maxItems?: number })
  | (FieldBase & { type: 'object'; fields: Field[] })
  | (FieldBase & { type: 'union'; discriminator: string; variants: { value: string; label: string; fields: Field[] }[] })
  | (FieldBase & { type: 'record' })
  | (FieldBase & { type: 'condition' })
  /** A fixed value of `literal`'s kind, or `{ from: 'var', name }`: a run variable or customer field (playbooks/nodes/valueSource.ts). */
  | (FieldBase & { type: 'valueSource'; literal: Field })
  | (FieldBase & { type: 'json' });

export type FieldType = Field['type'];

type Json = { [key: string]: unknown };

const DURATION_KEYS = new Set(['duration', 'timeout', 'validity', 'sla', 'after', 'signatureTimeout', 'checkInEvery']);
const SOURCE_BY_KEY: Record<string, OptionSource> = {
  role: 'roles',
  fallbackRole: 'roles',
  department: 'departments',
  template: 'templates',
  var: 'variables',
  variable: 'variables',
  churnReasonFrom: 'variables',
};
const MULTI_BY_KEY: Record<string, OptionSource> = { kinds: 'responseKinds' };

const cache = new WeakMap<object, Field[]>();

export function fieldsFor(kindOrName: AnyNodeKind | string): Field[] {
  const kind = typeof kindOrName === 'string' ? findNodeKind(kindOrName) : kindOrName;
  if (!kind) return [];
  const hit = cache.get(kind);
  if (hit) return hit;
  const root = z.toJSONSchema(kind.config, { io: 'input', unrepresentable: 'any' }) as Json;
  const fields = objectFields(root, root, kind.config, []);
  cache.set(kind, fields);
  return fields;
}

function resolve(schema: Json, root: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return schema;
  const defs = (root.$defs ?? {}) as Record<string, Json>;
  return defs[ref.slice('#/$defs/'.length)] ?? {};
}

function objectFields(schema: Json, root: Json, zodRoot: z.ZodType, path: string[]): Field[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([key, prop]) => toField(key, prop, required.has(key), root, zodRoot, [...path, key]));
}

function branches(schema: Json): Json[] | null {
  const list = schema.oneOf ?? schema.anyOf;
  return Array.isArray(list) ? (list as Json[]) : null;
}

function isCondition(options: Json[]): boolean {
  return options.some((o) => {
    const p = o.properties as Json | undefined;
    return !!p && 'var' in p && 'op' in p;
  });
}

/** A union of one literal and `{ from: 'var', name }`: the literal's schema, else null. */
function valueSourceLiteral(options: Json[]): Json | null {
  if (options.length !== 2) return null;
  const isFrom = (o: Json) => ((o.properties as Record<string, Json> | undefined)?.from?.const ?? undefined) === 'var';
  const from = options.findIndex(isFrom);
  return from < 0 ? null : options[1 - from];
}

/** The property every branch pins with `const`: the discriminated union's type select. */
function discriminatorOf(options: Json[]): string | null {
  const first = options[0]?.properties as Record<string, Json> | undefined;
  if (!first) return null;
  for (const [name, prop] of Object.entries(first)) {
    if (prop.const === undefined) continue;
    if (options.every((o) => ((o.properties as Record<string, Json> | undefined)?.[name]?.const ?? undefined) !== undefined)) return name;
  }
  return null;
}

function toField(key: string, raw: Json, required: boolean, root: Json, zodRoot: z.ZodType, path: string[]): Field {
  const schema = resolve(raw, root);
  // Label and help come from the kind's own schema (`.meta({ title })`, `.describe()`); else the key, humanized.
  const title = text(raw.title) ?? text(schema.title);
  const help = text(raw.description) ?? text(schema.description);
  const base: FieldBase = {
    key,
    label: title ?? humanize(key),
    required,
    ...(help ? { help } : {}),
    ...('default' in schema ? { default: schema.default } : {}),
  };
  const options = branches(schema);
  if (options) {
    const resolved = options.map((o) => resolve(o, root));
    if (isCondition(resolved)) return { ...base, type: 'condition' };
    const literal = valueSourceLiteral(resolved);
    if (literal) {
      // The fixed value's own input, under the field's label; the help belongs to the field as a whole.
      const inner: Field = { ...toField(key, literal, required, root, zodRoot, path), label: base.label };
      delete inner.help;
      return { ...base, type: 'valueSource', literal: inner };
    }
    const discriminator = discriminatorOf(resolved);
    if (discriminator) {
      return {
        ...base,
        type: 'union',
        discriminator,
        variants: resolved.map((o) => {
          const value = String((o.properties as Record<string, Json>)[discriminator].const);
          const fields = objectFields(o, root, zodRoot, path).filter((f) => f.key !== discriminator);
          return { value, label: humanize(value), fields };
        }),
      };
    }
    return { ...base, type: 'json' };
  }
  switch (schema.type) {
    case 'string': {
      if (Array.isArray(schema.enum)) return { ...base, type: 'enum', options: (schema.enum as string[]).map((v) => ({ value: v, label: humanize(v) })) };
      if (DURATION_KEYS.has(key) || isDurationSchema(zodAt(zodRoot, path))) return { ...base, type: 'duration' };
      const source = SOURCE_BY_KEY[key];
      if (source) return { ...base, type: 'select', source };
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
      return { ...base, type: 'text', multiline: (maxLength ?? 0) >= 300, ...(maxLength !== undefined ? { maxLength } : {}) };
    }
    case 'number':
    case 'integer':
      return {
        ...base,
        type: 'number',
        integer: schema.type === 'integer',
        ...(typeof schema.minimum === 'number' ? { min: schema.minimum } : {}),
        ...(typeof schema.maximum === 'number' ? { max: schema.maximum } : {}),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'array': {
      const items = resolve((schema.items ?? {}) as Json, root);
      if (MULTI_BY_KEY[key] && items.type === 'string') return { ...base, type: 'multiselect', source: MULTI_BY_KEY[key] };
      const item = toField('', items, true, root, zodRoot, [...path, '*']);
      return {
        ...base,
        type: 'list',
        item: { ...item, label: singular(base.label) },
        ...(typeof schema.minItems === 'number' ? { minItems: schema.minItems } : {}),
        ...(typeof schema.maxItems === 'number' ? { maxItems: schema.maxItems } : {}),
      };
    }
    case 'object':
      if (!schema.properties && schema.additionalProperties) return { ...base, type: 'record' };
      return { ...base, type: 'object', fields: objectFields(schema, root, zodRoot, path) };
    default:
      return { ...base, type: 'json' };
  }
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function singular(label: string): string {
  if (/ies$/.test(label)) return label.replace(/ies$/, 'y');
  if (/(ss|[^s])$/.test(label)) return label;
  return label.replace(/s$/, '');
}

/** A sensible value for a new field or list item: the schema default, else the smallest valid-looking value. */
export function defaultValue(field: Field): unknown {
  if (field.default !== undefined) return JSON.parse(JSON.stringify(field.default)) as unknown;
  switch (field.type) {
    case 'text':
      return '';
    case 'number':
      return field.min ?? 0;
    case 'boolean':
      return false;
    case 'enum':
      return field.options[0]?.value ?? '';
    case 'select':
      return field.source === 'roles' ? 'rep' : field.source === 'departments' ? 'customer' : field.source === 'templates' ? 'reminder' : '';
    case 'multiselect':
      return [];
    case 'duration':
      return 'P1D';
    case 'list':
      return Array.from({ length: field.minItems ?? 0 }, () => defaultValue(field.item));
    case 'object':
      return defaultsFor(field.fields);
    case 'union': {
      const first = field.variants[0];
      return first ? { [field.discriminator]: first.value, ...defaultsFor(first.fields) } : {};
    }
    case 'record':
      return {};
    case 'condition':
      return { var: 'customer.grade', op: 'eq', value: 'core' };
    case 'valueSource':
      return defaultValue(field.literal);
    case 'json':
      return null;
  }
}

/** Required fields and fields with a default, filled; optional ones without a default left out. */
export function defaultsFor(fields: readonly Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.required || f.default !== undefined) out[f.key] = defaultValue(f);
  return out;
}
