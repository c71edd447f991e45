import type { PlaybookGraph } from '../graph';
import { edges } from './edges';

/** Below this value (and not core or high-potential) a customer gets the tiered win-back instead. */
export const COMMITMENT_MIN_VALUE = 30_000;

/**
 * Long-term commitment offer for valuable customers: a longer agreement with obligations on both
 * sides and terms for breach, which raises the cost of switching and buys the firm room to repair
 * its mistakes. The head approves the terms, the customer signs or not, and the account manager
 * checks in every quarter over the term.
 */
export const commitmentOfferGraph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Valuable customer at risk', position: { x: 0, y: 200 }, config: { trigger: 'manual', variables: [] } },
    {
      id: 'eligible',
      kind: 'decision',
      name: 'High-value customer?',
      position: { x: 260, y: 200 },
      config: {
        rules: [
          {
            handle: 'high_value',
            label: 'Core, high-potential or high value',
            when: {
              any: [
                { var: 'customer.grade', op: 'in', value: ['core', 'high_potential'] },
                { var: 'customer.value', op: 'gte', value: COMMITMENT_MIN_VALUE },
              ],
            },
          },
        ],
      },
    },
    {
      id: 'end_not_eligible',
      kind: 'end',
      name: 'Not eligible',
      position: { x: 520, y: 420 },
      config: { outcome: 'closed', reason: 'not a high-value customer: use the tiered win-back instead' },
    },
    {
      id: 'draft_terms',
      kind: 'task',
      name: 'Draft the agreement terms',
      position: { x: 520, y: 120 },
      config: {
        title: 'Draft a 12-month agreement for the customer',
        instructions:
          'Fit the standard terms to this customer: what we commit to (dedicated contact, priority service, reviews), what they commit to, and what happens on a breach. The head approves before it goes out.',
        assignee: { type: 'variable', variable: 'account_manager', fallbackRole: 'rep' },
        outcomes: [{ key: 'drafted', label: 'Terms drafted' }],
        form: [
          { key: 'terms_summary', label: 'Terms in short', type: 'textarea', required: true },
          { key: 'annual_spend_commitment', label: 'Minimum annual spend agreed', type: 'money', required: false },
        ],
        priority: 'normal',
        sla: 'P5D',
        escalation: [{ role: 'department_head' }],
      },
    },
    {
      id: 'agreement',
      kind: 'commitment',
      name: '12-month agreement',
      position: { x: 780, y: 120 },
      config: {
        termMonths: 12,
        discountPercent: 8,
        obligations: {
          firm: ['a dedicated account manager', 'priority service within 24 hours', 'a quarterly service review', 'free repair of any fault we caused'],
          customer: ['service all fleet vehicles with us for 12 months', 'the minimum annual spend agreed'],
        },
        breachTerms: 'If we miss a commitment, the next service is free. If the customer leaves early, the discount received is repaid pro rata.',
        approval: true,
        signatureTimeout: 'P14D',
        reminders: ['P5D', 'P10D'],
        // Every 13 weeks: a quarter that does not land on the term's last day (12 × 30 days).
        checkInEvery: 'P13W',
        channel: 'email',
      },
    },
    {
      id: 'mark_fulfilled',
      kind: 'update_customer',
      name: 'Mark retained',
      position: { x: 1040, y: 0 },
      config: { status: 'retained', addTags: ['long_term_agreement'] },
    },
    {
      id: 'end_fulfilled',
      kind: 'end',
      name: 'Agreement fulfilled',
      position: { x: 1300, y: 0 },
      config: { outcome: 'retained', reason: 'long-term agreement fulfilled over its term' },
    },
    {
      id: 'escalate_breach',
      kind: 'escalate',
      name: 'Breach: head decides',
      position: { x: 1040, y: 160 },
      config: {
        role: 'department_head',
        priority: 'urgent',
        reason: 'The long-term agreement was breached',
        instructions: 'A check-in found a breach. Find out which side broke it, apply the breach terms, and decide whether the relationship continues.',
        outcomes: [
          { key: 'retained', label: 'Customer kept' },
          { key: 'lost', label: 'Customer lost' },
        ],
        sla: 'P3D',
      },
    },
    {
      id: 'escalate_declined',
      kind: 'escalate',
      name: 'Declined: head decides',
      position: { x: 1040, y: 320 },
      config: {
        role: 'department_head',
        priority: 'high',
        reason: 'The customer declined or did not sign the long-term agreement',
        instructions: 'Call the customer yourself: learn why they did not sign, and either keep them on other terms or record them as lost.',
        outcomes: [
          { key: 'retained', label: 'Customer kept' },
          { key: 'lost', label: 'Customer lost' },
        ],
        sla: 'P3D',
      },
    },
    {
      id: 'end_not_approved',
      kind: 'end',
      name: 'Terms not approved',
      position: { x: 1040, y: 520 },
      config: { outcome: 'closed', reason: 'the head of department did not approve the agreement terms' },
    },
    { id: 'mark_kept', kind: 'update_customer', name: 'Mark retained', position: { x: 1300, y: 200 }, config: { status: 'retained' } },
    {
      id: 'end_kept',
      kind: 'end',
      name: 'Kept by the head',
      position: { x: 1560, y: 200 },
      config: { outcome: 'retained', reason: 'the head of department kept the customer without the agreement' },
    },
    { id: 'mark_lost', kind: 'update_customer', name: 'Mark lost', position: { x: 1300, y: 400 }, config: { status: 'lost' } },
    {
      id: 'end_lost',
      kind: 'end',
      name: 'Lost',
      position: { x: 1560, y: 400 },
      config: { outcome: 'lost', reason: 'the agreement was declined or breached and the customer left' },
    },
  ],
  edges: edges([
    ['start', 'next', 'eligible'],
    ['eligible', 'high_value', 'draft_terms'],
    ['eligible', 'default', 'end_not_eligible'],
    ['draft_terms', 'drafted', 'agreement'],
    ['agreement', 'fulfilled', 'mark_fulfilled'],
    ['agreement', 'breached', 'escalate_breach'],
    ['agreement', 'declined', 'escalate_declined'],
    ['agreement', 'no_response', 'escalate_declined'],
    ['agreement', 'not_approved', 'end_not_approved'],
    ['escalate_breach', 'retained', 'mark_kept'],
    ['escalate_breach', 'lost', 'mark_lost'],
    ['escalate_declined', 'retained', 'mark_kept'],
    ['escalate_declined', 'lost', 'mark_lost'],
    ['mark_fulfilled', 'next', 'end_fulfilled'],
    ['mark_kept', 'next', 'end_kept'],
    ['mark_lost', 'next', 'end_lost'],
  ]),
};
