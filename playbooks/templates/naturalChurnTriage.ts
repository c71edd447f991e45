import type { PlaybookGraph } from '../graph';
import { CHURN_TYPES } from '../nodes/vocabulary';
import { edges } from './edges';

const rep = { type: 'role', role: 'rep', department: 'customer' } as const;
const head = { type: 'role', role: 'department_head', department: 'customer' } as const;
const col = (i: number) => i * 260;

/**
 * Churn triage by type, as the articles tell the four kinds apart. One step records the type that
 * was decided (a typed start variable: natural, malicious, competitive or fault; a start with any
 * other is refused), then each type gets its own handling:
 * - malicious (leaving to escape obligations): a credit check into the credit file, and a decision
 *   on the rating: poor goes on credit hold, fair gets a payment plan, good is recorded;
 * - competitive: the offer ladder (small first) raced against the head's visit in person; the first
 *   to win the customer back ends the other;
 * - fault: hear and fix the complaint, else escalate along a chain: the account manager, the head,
 *   then a named director, each with an SLA;
 * - natural (the customer's business changed): an experiment on whether a cost-checked new product
 *   line is worth offering, against recording and closing.
 */
export const naturalChurnTriageGraph: PlaybookGraph = {
  nodes: [
    {
      id: 'start',
      kind: 'start',
      name: 'Churn type decided',
      position: { x: 0, y: 600 },
      config: { trigger: 'manual', variables: [{ key: 'churn_type', type: 'string', required: true, values: [...CHURN_TYPES] }] },
    },
    {
      id: 'record_type',
      kind: 'update_customer',
      name: 'Record the churn type',
      position: { x: col(1), y: 600 },
      config: { status: 'at_risk', churnType: { from: 'var', name: 'churn_type' }, addTags: ['triage'], removeTags: [] },
    },
    {
      id: 'by_type',
      kind: 'decision',
      name: 'Which kind of churn?',
      position: { x: col(2), y: 600 },
      config: {
        rules: [
          { handle: 'malicious', label: 'Malicious', when: { var: 'churn_type', op: 'eq', value: 'malicious' } },
          { handle: 'competitive', label: 'Competitive', when: { var: 'churn_type', op: 'eq', value: 'competitive' } },
          { handle: 'fault', label: 'Our fault', when: { var: 'churn_type', op: 'eq', value: 'fault' } },
          { handle: 'natural', label: 'Natural', when: { var: 'churn_type', op: 'eq', value: 'natural' } },
        ],
      },
    },

    // Malicious: credit management.
    {
      id: 'credit',
      kind: 'credit_check',
      name: 'Credit check',
      position: { x: col(3), y: 0 },
      config: {
        title: 'Check the customer’s credit',
        instructions:
          'The customer may be leaving to escape what they owe. Check the balance and payment history, rate their credit and write down what you checked.',
        role: 'rep',
        priority: 'high',
        sla: 'P2D',
      },
    },
    {
      id: 'by_rating',
      kind: 'decision',
      name: 'Credit rating?',
      position: { x: col(4), y: 0 },
      config: {
        rules: [
          { handle: 'poor', label: 'Poor', when: { var: 'credit.rating', op: 'eq', value: 'poor' } },
          { handle: 'fair', label: 'Fair', when: { var: 'credit.rating', op: 'eq', value: 'fair' } },
        ],
      },
    },
    {
      id: 'payment_plan',
      kind: 'task',
      name: 'Agree a payment plan',
      position: { x: col(5), y: 80 },
      config: {
        title: 'Agree a payment plan for the outstanding balance',
        instructions: 'Call the customer about the outstanding balance and agree how and when it is paid.',
        assignee: rep,
        outcomes: [
          { key: 'agreed', label: 'Plan agreed' },
          { key: 'refused', label: 'Refused' },
        ],
        form: [{ key: 'plan_terms', label: 'What was agreed', type: 'textarea', required: false }],
        priority: 'high',
        sla: 'P5D',
        escalation: [{ role: 'department_head' }],
      },
    },
    {
      id: 'credit_hold',
      kind: 'update_customer',
      name: 'Put on credit hold',
      position: { x: col(6), y: 0 },
      config: { status: 'lost', addTags: ['credit_hold'], removeTags: [] },
    },
    {
      id: 'tell_manager',
      kind: 'notify',
      name: 'Tell the account manager',
      position: { x: col(7), y: 0 },
      config: {
        channel: 'email',
        to: { kind: 'user', userId: { from: 'var', name: 'customer.accountManager' }, fallbackRole: 'department_head' },
        template: 'escalation_notice',
        vars: { reason: 'On credit hold after a poor credit check: no new credit, collect the balance', priority: 'high' },
      },
    },
    {
      id: 'end_hold',
      kind: 'end',
      name: 'On credit hold',
      position: { x: col(8), y: 0 },
      config: { outcome: 'lost', reason: 'left owing us: on credit hold' },
    },
    {
      id: 'end_credit_ok',
      kind: 'end',
      name: 'Credit recorded',
      position: { x: col(6), y: 160 },
      config: { outcome: 'closed', reason: 'credit checked and recorded; payment arranged' },
    },

    // Competitive: the offer ladder raced against the head's visit.
    {
      id: 'race',
      kind: 'parallel',
      name: 'Offer and visit at once',
      position: { x: col(3), y: 400 },
      config: {
        branches: [
          { key: 'ladder', label: 'Offer ladder' },
          { key: 'visit', label: 'Head visits' },
        ],
      },
    },
    {
      id: 'ladder',
      kind: 'offer',
      name: 'Offer ladder',
      position: { x: col(4), y: 320 },
      config: {
        tiers: [
          { label: '5% off', incentive: { type: 'percent', value: 5, description: '5% off your next order' }, validity: 'P7D' },
          { label: '10% off', incentive: { type: 'percent', value: 10, description: '10% off your next order' }, validity: 'P7D' },
          { label: '15% off', incentive: { type: 'percent', value: 15, description: '15% off your next order' }, validity: 'P7D' },
        ],
        approvalAbove: 10,
        channel: 'email',
        template: 'offer',
      },
    },
    {
      id: 'invite',
      kind: 'notify',
      name: 'Invite for a visit',
      position: { x: col(4), y: 480 },
      config: { channel: 'email', to: { kind: 'customer' }, template: 'visit_invite', vars: {} },
    },
    {
      id: 'visit',
      kind: 'task',
      name: 'Head visits in person',
      position: { x: col(5), y: 480 },
      config: {
        title: 'Visit the customer in person',
        instructions: 'The customer was lured by a competitor. Visit them yourself: hear what the competitor offers and what would bring them back.',
        assignee: head,
        outcomes: [
          { key: 'won_back', label: 'Won back' },
          { key: 'not_won', label: 'Not won back' },
        ],
        form: [{ key: 'visit_notes', label: 'What the customer said', type: 'textarea', required: false }],
        priority: 'high',
        sla: 'P7D',
      },
    },
    { id: 'first_win', kind: 'join', name: 'First to win them back', position: { x: col(6), y: 320 }, config: { mode: 'first' } },
    { id: 'both_failed', kind: 'join', name: 'Both failed', position: { x: col(6), y: 480 }, config: { mode: 'all' } },
    {
      id: 'mark_won',
      kind: 'update_customer',
      name: 'Mark won back',
      position: { x: col(7), y: 320 },
      config: { status: 'won_back', addTags: [], removeTags: ['triage'] },
    },
    { id: 'end_won', kind: 'end', name: 'Won back', position: { x: col(8), y: 320 }, config: { outcome: 'won_back', reason: 'customer came back' } },
    {
      id: 'mark_lost',
      kind: 'update_customer',
      name: 'Mark lost',
      position: { x: col(7), y: 560 },
      config: { status: 'lost', addTags: [], removeTags: ['triage'] },
    },
    { id: 'end_lost', kind: 'end', name: 'Lost', position: { x: col(8), y: 560 }, config: { outcome: 'lost', reason: 'customer could not be won back' } },

    // Fault: complaint handling with an escalation chain.
    {
      id: 'complaint',
      kind: 'task',
      name: 'Hear and fix the complaint',
      position: { x: col(3), y: 760 },
      config: {
        title: 'Hear the complaint and fix it',
        instructions: 'We failed the customer. Listen, find the concrete cause, fix it and tell them what was done.',
        assignee: rep,
        outcomes: [
          { key: 'fixed', label: 'Fixed, customer satisfied' },
          { key: 'not_fixed', label: 'Still unhappy' },
        ],
        form: [{ key: 'complaint_summary', label: 'What the customer complains about', type: 'textarea', required: true }],
        priority: 'high',
        sla: 'P2D',
        escalation: [{ role: 'department_head' }],
      },
    },
    {
      id: 'escalate_fault',
      kind: 'escalate',
      name: 'Escalate up the chain',
      position: { x: col(4), y: 840 },
      config: {
        role: 'department_head',
        to: { type: 'account_manager', fallbackRole: 'rep' },
        priority: 'high',
        reason: 'Customer still unhappy after the complaint was handled',
        instructions: 'Take the case over: contact the customer yourself, decide what more we do, and record it.',
        outcomes: [
          { key: 'resolved', label: 'Resolved' },
          { key: 'not_resolved', label: 'Not resolved' },
        ],
        sla: 'P2D',
        chain: [{ to: { type: 'role', role: 'department_head' }, sla: 'P3D' }, { to: { type: 'person', userId: 'u-olga', role: 'ops_manager' } }],
      },
    },
    {
      id: 'mark_retained',
      kind: 'update_customer',
      name: 'Mark retained',
      position: { x: col(5), y: 760 },
      config: { status: 'retained', addTags: [], removeTags: ['triage'] },
    },
    { id: 'end_retained', kind: 'end', name: 'Retained', position: { x: col(6), y: 760 }, config: { outcome: 'retained', reason: 'complaint resolved' } },

    // Natural: an experiment on offering a new product line.
    {
      id: 'natural_split',
      kind: 'experiment',
      name: 'New line or record only?',
      position: { x: col(3), y: 1040 },
      config: {
        arms: [
          { key: 'new_line', label: 'Offer a new product line', weight: 50 },
          { key: 'record_only', label: 'Record and close', weight: 50 },
        ],
      },
    },
    {
      id: 'by_arm',
      kind: 'decision',
      name: 'Which arm?',
      position: { x: col(4), y: 1040 },
      config: { rules: [{ handle: 'new_line', label: 'New line', when: { var: 'natural_split.arm', op: 'eq', value: 'new_line' } }] },
    },
    {
      id: 'cost_check',
      kind: 'task',
      name: 'Cost check for a new line',
      position: { x: col(5), y: 980 },
      config: {
        title: 'Check what a new product line would cost us',
        instructions: 'The customer’s business changed. Check whether one of our other lines fits what they do now, and at what cost.',
        assignee: rep,
        outcomes: [
          { key: 'offered', label: 'Offered a new line' },
          { key: 'not_worth_it', label: 'Not worth it' },
        ],
        form: [{ key: 'cost_notes', label: 'The line and its cost', type: 'textarea', required: false }],
        priority: 'normal',
        sla: 'P5D',
      },
    },
    {
      id: 'end_natural',
      kind: 'end',
      name: 'Natural churn recorded',
      position: { x: col(6), y: 1100 },
      config: { outcome: 'closed', reason: 'natural churn: the customer’s business changed' },
    },
    {
      id: 'end_unclassified',
      kind: 'end',
      name: 'No churn type',
      position: { x: col(3), y: 1240 },
      config: { outcome: 'closed', reason: 'no churn type to act on' },
    },
  ],
  edges: edges([
    ['start', 'next', 'record_type'],
    ['record_type', 'next', 'by_type'],
    ['by_type', 'malicious', 'credit'],
    ['by_type', 'competitive', 'race'],
    ['by_type', 'fault', 'complaint'],
    ['by_type', 'natural', 'natural_split'],
    ['by_type', 'default', 'end_unclassified'],
    ['credit', 'checked', 'by_rating'],
    ['by_rating', 'poor', 'credit_hold'],
    ['by_rating', 'fair', 'payment_plan'],
    ['by_rating', 'default', 'end_credit_ok'],
    ['payment_plan', 'agreed', 'end_credit_ok'],
    ['payment_plan', 'refused', 'credit_hold'],
    ['credit_hold', 'next', 'tell_manager'],
    ['tell_manager', 'next', 'end_hold'],
    ['race', 'ladder', 'ladder'],
    ['race', 'visit', 'invite'],
    ['invite', 'next', 'visit'],
    ['ladder', 'accepted', 'first_win'],
    ['visit', 'won_back', 'first_win'],
    ['ladder', 'exhausted', 'both_failed'],
    ['visit', 'not_won', 'both_failed'],
    ['first_win', 'next', 'mark_won'],
    ['mark_won', 'next', 'end_won'],
    ['both_failed', 'next', 'mark_lost'],
    ['mark_lost', 'next', 'end_lost'],
    ['complaint', 'fixed', 'mark_retained'],
    ['complaint', 'not_fixed', 'escalate_fault'],
    ['escalate_fault', 'resolved', 'mark_retained'],
    ['escalate_fault', 'not_resolved', 'mark_lost'],
    ['mark_retained', 'next', 'end_retained'],
    ['natural_split', 'new_line', 'by_arm'],
    ['natural_split', 'record_only', 'by_arm'],
    ['by_arm', 'new_line', 'cost_check'],
    ['by_arm', 'default', 'end_natural'],
    ['cost_check', 'offered', 'end_natural'],
    ['cost_check', 'not_worth_it', 'end_natural'],
  ]),
};
