import { z } from 'zod';
import { AttemptStatus } from './attempts';
import { Timestamp } from './common';

/** Customer files and the contact log (server/routes/customers.ts, server/customerFile.ts). */

/**
 * The kinds of contact a person records. A customer's answer is no contact kind here: it must move
 * the attempt, so it goes to POST /api/attempts/:id/answers, and the run logs its own `answer`
 * contact (which is why a stored contact's kind is any text, see Contact).
 */
export const ContactKind = z.enum(['call', 'message', 'visit', 'note']);
export type ContactKind = z.infer<typeof ContactKind>;
export const ContactChannel = z.enum(['phone', 'sms', 'email', 'messaging', 'visit', 'in_person']);
export type ContactChannel = z.infer<typeof ContactChannel>;

export const ContactBody = z.object({
  kind: ContactKind,
  channel: ContactChannel.optional(),
  summary: z.string().trim().min(1).max(4000),
  attemptId: z.uuid().optional(),
});
export type ContactBody = z.infer<typeof ContactBody>;

/** A customer's file as the API shows it, from its row in `customers`. */
export const Customer = z.object({
  id: z.string(),
  name: z.string(),
  grade: z.string(),
  value: z.number(),
  department: z.string().nullable(),
  /** The department's name from the directory (`departments.name`), as people read it. */
  departmentName: z.string().nullable(),
  accountManager: z.string().nullable(),
  status: z.string(),
  churnType: z.string().nullable(),
  churnReason: z.string().nullable(),
  tags: z.array(z.string()),
  lastSeenAt: Timestamp.nullable(),
});
export type Customer = z.infer<typeof Customer>;
export const CustomerList = z.object({ customers: z.array(Customer) });

/** One entry of the contact log; `task` entries are notes made on a task. */
export const Contact = z.object({
  id: z.string(),
  kind: z.string(),
  channel: z.string().nullable(),
  summary: z.string(),
  at: Timestamp,
  attemptId: z.string().nullable(),
  taskId: z.string().nullable(),
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type Contact = z.infer<typeof Contact>;

/** A recovery attempt as the customer file lists it. */
export const CustomerAttempt = z.object({
  id: z.uuid(),
  playbookKey: z.string(),
  version: z.number().int(),
  status: AttemptStatus,
  outcome: z.string().nullable(),
  startedAt: Timestamp,
  endedAt: Timestamp.nullable(),
});
export type CustomerAttempt = z.infer<typeof CustomerAttempt>;

export const CustomerFile = z.object({
  customer: Customer,
  attempts: z.array(CustomerAttempt),
  openTasks: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), assigneeRole: z.string(), dueAt: Timestamp.nullable() })),
  contacts: z.array(Contact),
});
export type CustomerFile = z.infer<typeof CustomerFile>;

export const ContactRecorded = ContactBody.extend({ id: z.string(), at: Timestamp, byUserId: z.string() });
export type ContactRecorded = z.infer<typeof ContactRecorded>;
