import fc from 'fast-check';
import { formSchema, type FormField } from '../../../playbooks/form';
import { formProblems } from '../../../playbooks/formCheck';

/**
 * The workflow's completeTask validator checks a form without zod (formProblems), the API with zod
 * (formSchema). A completion one accepts and the other refuses would either slip past the API's
 * check into a run or be refused by the run after the API said yes, so the two must agree on every
 * input, and on which fields are wrong.
 */

const FIELD_TYPES = ['text', 'textarea', 'number', 'money', 'choice', 'boolean', 'date'] as const;
// `isPrototypeOf` is a valid field key that every object inherits: both must read it as absent only when it is.
const KEYS = ['notes', 'amount', 'reason', 'isPrototypeOf'];
const VALUES: unknown[] = [
  null,
  '',
  '   ',
  'x',
  ' x ',
  'A',
  'B',
  '2024-01-31',
  '2024-1-31',
  '2024-01-31\n',
  0,
  -0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  {},
];

const field: fc.Arbitrary<FormField> = fc.record(
  {
    key: fc.constantFrom(...KEYS),
    label: fc.constant('Label'),
    type: fc.constantFrom(...FIELD_TYPES),
    required: fc.boolean(),
    options: fc.constantFrom(
      undefined,
      [],
      [{ value: 'A', label: 'A' }],
      [
        { value: 'A', label: 'A' },
        { value: 'B', label: 'B' },
      ],
    ),
  },
  { requiredKeys: ['key', 'label', 'type'] },
) as fc.Arbitrary<FormField>;

/** Form data as it arrives in an Update: parsed JSON, so `__proto__` may be an own key. */
const data: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(fc.constantFrom(...KEYS, 'extra', '__proto__'), fc.constantFrom(...VALUES), { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, [], 'notes', 3) },
);

/** Which fields are wrong ('' for the form as a whole), as zod reports them. */
function zodVerdict(fields: FormField[], value: unknown): { ok: boolean; keys: string[] } {
  const parsed = formSchema(fields).safeParse(value);
  if (parsed.success) return { ok: true, keys: [] };
  const keys = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys.map(String) : [issue.path.length ? String(issue.path[0]) : ''],
  );
  return { ok: false, keys: [...new Set(keys)].sort() };
}

function ownVerdict(fields: FormField[], value: unknown): { ok: boolean; keys: string[] } {
  const problems = formProblems(fields, value);
  return { ok: problems.length === 0, keys: [...new Set(problems.map((p) => p.path[0] ?? ''))].sort() };
}

/** JSON's way of making objects: an own `__proto__` survives it, as in a real Update's payload. */
const asReceived = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, '__proto__') ? JSON.parse(JSON.stringify(value)) : value;

describe('the workflow form check agrees with the API form schema', () => {
  it('accepts and refuses the same completions, naming the same fields', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 4 }), data, (fields, raw) => {
        const value = asReceived(raw);
        expect(ownVerdict(fields, value)).toEqual(zodVerdict(fields, value));
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a required text of blanks, an unknown field, a choice off the list, a negative amount and a non-object', () => {
    const fields: FormField[] = [
      { key: 'notes', label: 'Notes', type: 'textarea', required: true },
      { key: 'reason', label: 'Reason', type: 'choice', required: true, options: [{ value: 'A', label: 'A' }] },
      { key: 'amount', label: 'Amount', type: 'money', required: false },
    ];
    expect(formProblems(fields, { notes: 'called', reason: 'A' })).toEqual([]);
    expect(formProblems(fields, { notes: 'called', reason: 'A', amount: null })).toEqual([]);
    expect(formProblems(fields, { notes: '  ', reason: 'Z', amount: -1, extra: 1 })).toEqual([
      { path: ['notes'], message: 'required' },
      { path: ['reason'], message: 'expected one of: A' },
      { path: ['amount'], message: 'an amount may not be negative' },
      { path: ['extra'], message: 'this field is not on the form' },
    ]);
    expect(formProblems(fields, JSON.parse('{"notes":"x","reason":"A","__proto__":{"y":1}}'))).toEqual([
      { path: ['__proto__'], message: 'this field is not on the form' },
    ]);
    expect(formProblems(fields, null)).toEqual([{ path: [], message: 'expected the form as an object, received null' }]);
  });
});
