import type { FormField, FormValue } from './form';

/**
 * The check of a completion's form data against a task's form, without zod: the workflow's
 * completeTask validator runs it, and the workflow bundle must not carry the schema library (it
 * re-created zod's modules for every new workflow). It accepts exactly what `formSchema` in ./form
 * accepts (the API's check) and refuses the rest; tests/playbooks/nodes/formCheck.test.ts holds the
 * two side by side.
 */

export interface FormProblem {
  path: string[];
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const expected = (what: string, value: unknown): string => `expected ${what}, received ${typeName(value)}`;

/** Why one field's value is not valid, or null when it is. */
function fieldProblem(field: FormField, value: unknown): string | null {
  // An optional field may be left out or cleared; a required one must hold a value of its type.
  if (!field.required && (value === undefined || value === null)) return null;
  switch (field.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : expected('a number', value);
    case 'money':
      if (!(typeof value === 'number' && Number.isFinite(value))) return expected('an amount', value);
      return value >= 0 ? null : 'an amount may not be negative';
    case 'boolean':
      return typeof value === 'boolean' ? null : expected('true or false', value);
    case 'date':
      if (typeof value !== 'string') return expected('a date as YYYY-MM-DD', value);
      return DATE.test(value) ? null : 'expected a date as YYYY-MM-DD';
    case 'choice': {
      if (typeof value !== 'string') return expected('text', value);
      const values = (field.options ?? []).map((o) => o.value);
      return values.includes(value) ? null : `expected one of: ${values.join(', ')}`;
    }
    default:
      if (typeof value !== 'string') return expected('text', value);
      return field.required && value.trim().length === 0 ? 'required' : null;
  }
}

/** Every problem of `data` as the completion of a task with form `fields`: empty when it is valid. */
export function formProblems(fields: readonly FormField[], data: unknown): FormProblem[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [{ path: [], message: expected('the form as an object', data) }];
  // A later field of the same key replaces an earlier one, as in formSchema's shape.
  const byKey = new Map<string, FormField>();
  for (const field of fields) byKey.set(field.key, field);
  const given = data as Record<string, FormValue | undefined>;
  const problems: FormProblem[] = [];
  for (const [key, field] of byKey) {
    // As zod's object does: a declared "__proto__" is never read (the compiler refuses such keys anyway).
    if (key === '__proto__') continue;
    const problem = fieldProblem(field, given[key]);
    if (problem) problems.push({ path: [key], message: problem });
  }
  // Strict: a key the form does not have is refused, whatever its value.
  for (const key in given) if (!byKey.has(key)) problems.push({ path: [key], message: 'this field is not on the form' });
  return problems;
}
