import { z } from 'zod';
import { CREDIT_RATINGS } from '../playbooks/nodes/vocabulary';
import { Timestamp } from './common';

/** A customer's credit file (credit management for malicious churn): server/routes/credit.ts. */

export const CreditRating = z.enum(CREDIT_RATINGS);

/** One credit check, as a credit_check step recorded it: the rating history is the list of these. */
export const CreditCheck = z.object({
  id: z.string(),
  rating: CreditRating,
  outstandingBalance: z.number(),
  notes: z.string().nullable(),
  checkedBy: z.string().nullable(),
  /** The checker's name as people read it. */
  checkedByName: z.string().nullable(),
  checkedAt: Timestamp,
  attemptId: z.string().nullable(),
});
export type CreditCheck = z.infer<typeof CreditCheck>;

export const CreditFile = z.object({
  customerId: z.string(),
  /** The rating and balance of the latest check; null until a first check. */
  rating: CreditRating.nullable(),
  outstandingBalance: z.number().nullable(),
  updatedAt: Timestamp.nullable(),
  /** Every check, newest first. */
  checks: z.array(CreditCheck),
});
export type CreditFile = z.infer<typeof CreditFile>;
