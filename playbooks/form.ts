import { z } from 'zod';
import { PersonalName } from './systemNames';

/** Typed fields a rep fills in when completing a task (churn reason, notes, amounts...). */
export const FormField = z.object({
  key: PersonalName,
  label: z.string().min(1).max(200),
  type: z.enum(['text', 'textarea', 'number', 'money', 'choice', 'boolean', 'date']),
  required: z.boolean().default(false),
  options: z
    .array(z.object({ value: z.string().min(1).max(200), label: z.string().min(1).max(200) }))
    .max(100)
    .optional(),
});
export type FormField = z.infer<typeof FormField>;

export type FormValue = string | number | boolean | null;
export type FormData = Record<string, FormValue>;

/** The zod schema a completion's form data must satisfy: the same rules in the API and the workflow. */
export function formSchema(fields: readonly FormField[]): z.ZodType<FormData> {
  const shape: Record<string, z.ZodType<FormValue | undefined>> = {};
  for (const field of fields) {
    let s: z.ZodType<FormValue>;
    switch (field.type) {
      case 'number':
        s = z.number().finite();
        break;
      case 'money':
        s = z.number().finite().nonnegative();
        break;
      case 'boolean':
        s = z.boolean();
        break;
      case 'date':
        s = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
        break;
      case 'choice': {
        const values = (field.options ?? []).map((o) => o.value);
        s = z.string().refine((v) => values.includes(v), { message: `expected one of: ${values.join(', ')}` });
        break;
      }
      default:
        s = field.required ? z.string().trim().min(1, 'required') : z.string();
    }
    shape[field.key] = field.required ? s : s.nullable().optional();
  }
  return z.strictObject(shape) as unknown as z.ZodType<FormData>;
}
