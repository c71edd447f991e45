import { z } from 'zod';
import { ACTIVITY_KINDS, CHURN_REASONS, CHURN_TYPES, CUSTOMER_STATUSES, GRADES } from '../../contract/activity';

/**
 * One row of an import, as zod checks it. CSV cells arrive as text (an empty cell is "not given"),
 * JSON lines as JSON; both go through the same schema, text coerced where a number or a date is
 * meant, so a row means the same whichever format brought it.
 */
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
const text = (max: number) => z.preprocess(blank, z.string().trim().min(1).max(max));
const optionalText = (max: number) => z.preprocess(blank, z.string().trim().min(1).max(max).optional());
/** Optional numbers: an empty cell is "not given", text must be a number. */
const num = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : blank(v)), z.number().min(min).max(max).optional());
const int = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : blank(v)), z.number().int().min(min).max(max).optional());
const moment = z.preprocess(
  blank,
  z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'expected an ISO 8601 date (2026-03-01) or time (2026-03-01T09:30:00Z)' }),
);
const key = z.preprocess(
  blank,
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
);

export const ActivityRow = z.object({
  customer_id: text(200),
  kind: z.preprocess(blank, z.enum(ACTIVITY_KINDS)),
  source: z.preprocess(
    blank,
    z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .default('import'),
  ),
  external_id: key,
  occurred_at: moment,
  amount: num(-1e12, 1e12),
  currency: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
      .optional(),
  ),
  /** In CSV a JSON object in one cell. */
  details: z.preprocess(
    (v) => {
      if (typeof v !== 'string') return blank(v);
      if (v.trim() === '') return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    },
    z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
  ),
});
export type ActivityRow = z.infer<typeof ActivityRow>;

export const CustomerRow = z.object({
  id: text(200),
  name: text(300),
  grade: z.preprocess(blank, z.enum(GRADES).optional()),
  value: num(0, 1e12),
  department: optionalText(64),
  account_manager: optionalText(100),
  status: z.preprocess(blank, z.enum(CUSTOMER_STATUSES).optional()),
  churn_type: z.preprocess(blank, z.enum(CHURN_TYPES).optional()),
  churn_reason: z.preprocess(blank, z.enum(CHURN_REASONS).optional()),
  expected_visit_days: int(1, 3650),
  customer_since: z.preprocess(blank, z.iso.date().optional()),
});
export type CustomerRow = z.infer<typeof CustomerRow>;

export const ROW_SCHEMAS = { activity: ActivityRow, customers: CustomerRow } as const;
export type ImportKind = keyof typeof ROW_SCHEMAS;
