import { defaultsFor, fieldsFor } from './form/fields';

/**
 * What a node dropped from the palette starts with: valid and typical, so its handles show at once
 * and the ops manager edits rather than fills in. Kinds without a starter get their schema defaults.
 */
const STARTERS: Record<string, Record<string, unknown>> = {
  start: { trigger: 'manual', variables: [] },
  task: {
    title: 'New task',
    instructions: '',
    assignee: { type: 'role', role: 'rep', department: 'customer' },
    outcomes: [{ key: 'done', label: 'Done' }],
    form: [],
    priority: 'normal',
    escalation: [],
  },
  wait_response: { kinds: ['accepted', 'declined'], timeout: 'P7D', reminders: [], reminderText: 'we are still waiting for your answer' },
  delay: { duration: 'P3D' },
  decision: { rules: [{ handle: 'core', label: 'Core customer', when: { var: 'customer.grade', op: 'eq', value: 'core' } }] },
  offer: {
    tiers: [{ label: '5% off', incentive: { type: 'percent', value: 5, description: '5% off your next service' }, validity: 'P14D' }],
    channel: 'email',
    template: 'offer',
  },
  commitment: {
    termMonths: 12,
    discountPercent: 5,
    obligations: { firm: ['Priority service'], customer: ['Service at least twice a year'] },
    breachTerms: 'Either side may end the agreement with 30 days notice; the discount is repaid on a breach.',
    approval: true,
    signatureTimeout: 'P14D',
    reminders: [],
    checkInEvery: 'P30D',
    channel: 'email',
  },
  escalate: {
    role: 'department_head',
    priority: 'high',
    reason: 'Needs the head of department',
    instructions: '',
    outcomes: [
      { key: 'resolved', label: 'Resolved' },
      { key: 'not_resolved', label: 'Not resolved' },
    ],
  },
  notify: { channel: 'email', to: { kind: 'customer' }, template: 'reminder', vars: {} },
  update_customer: { addTags: [], removeTags: [] },
  parallel: {
    branches: [
      { key: 'a', label: 'Branch A' },
      { key: 'b', label: 'Branch B' },
    ],
  },
  join: {},
  end: { outcome: 'closed', reason: '' },
};

export function starterConfig(kind: string): Record<string, unknown> {
  const starter = STARTERS[kind];
  return JSON.parse(JSON.stringify(starter ?? defaultsFor(fieldsFor(kind)))) as Record<string, unknown>;
}
