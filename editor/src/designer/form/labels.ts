/**
 * Labels and one-line help for config keys, in the words of an ops manager. Keys not listed are
 * humanized ("reminderText" → "Reminder text"), so a new node kind still gets a readable form.
 */
const LABELS: Record<string, string> = {
  sla: 'SLA',
  triggerKey: 'Trigger key',
  approvalAbove: 'Needs approval above',
  churnReasonFrom: 'Churn reason from',
  termMonths: 'Term (months)',
  discountPercent: 'Discount (%)',
  signatureTimeout: 'Time to sign',
  checkInEvery: 'Check in every',
  fallbackRole: 'Fallback role',
  var: 'Variable',
  addTags: 'Add tags',
  removeTags: 'Remove tags',
  kinds: 'Answers to wait for',
  to: 'Recipient',
  vars: 'Template values',
  when: 'When',
  form: 'Form fields',
};

const HELP: Record<string, string> = {
  sla: 'How long the assignee has before the escalation chain starts.',
  escalation: 'Who gets an escalation task at each missed SLA; the original task stays open.',
  outcomes: 'Each outcome is its own outgoing connection on the canvas.',
  rules: 'First matching rule wins; anything else leaves through "default".',
  kinds: 'Each answer is its own outgoing connection, plus "no response" after the timeout.',
  timeout: 'How long to wait before leaving through "no response".',
  tiers: 'Small first, then larger: never open with the biggest incentive.',
  approvalAbove: 'A tier worth more than this needs the department head first.',
  validity: 'How long the customer has to accept this tier.',
  branches: 'Each branch is its own outgoing connection; they run together.',
  churnReasonFrom: 'The task form field that recorded the reason (A–D).',
  triggerKey: 'With an event trigger: the signal that starts runs, e.g. customer.pre_churn.',
  department: '"customer" means the department that owns the customer.',
  vars: 'Values may name run variables as {{var}}.',
  form: 'Fields the rep fills in when completing the task.',
};

export function labelFor(key: string): string | undefined {
  return LABELS[key];
}

export function helpFor(key: string): string | undefined {
  return HELP[key];
}
