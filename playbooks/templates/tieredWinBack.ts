import type { PlaybookGraph } from '../graph';
import { edges } from './edges';

const rep = { type: 'role', role: 'rep', department: 'customer' } as const;

/** Customers this valuable get the head of department before any standard plan. */
export const HIGH_VALUE_THRESHOLD = 50_000;

/**
 * Tiered win-back for a pre-churn customer: call back, learn the reason (A–D from the after-sales
 * example), and run that reason's plan. Incentives go small first, then larger, with a wait for an
 * answer between tiers; the head of department takes over when the ladder runs out, and valuable
 * customers go to the head first.
 */
export const tieredWinBackGraph: PlaybookGraph = {
  nodes: [
    {
      id: 'start',
      kind: 'start',
      name: 'Customer is pre-churn',
      position: { x: 0, y: 320 },
      // The at-risk schedule starts it when a customer turns pre-churn (it can still be started by hand).
      config: { trigger: 'event', triggerKey: 'customer.pre_churn', variables: [] },
    },
    {
      id: 'call_back',
      kind: 'task',
      name: 'Call back, learn the reason',
      position: { x: 260, y: 320 },
      config: {
        title: 'Call the customer back and record why they stopped coming',
        instructions:
          'Read the last contact in the file first and continue from it. Call (or message), listen, and record the main reason: A service, B location, C price, D needs reminding. Keep trying until you reach them; the head is alerted after 3 days.',
        assignee: rep,
        outcomes: [{ key: 'reason_recorded', label: 'Reached, reason recorded' }],
        form: [
          {
            key: 'churn_reason',
            label: 'Main reason',
            type: 'choice',
            required: true,
            options: [
              { value: 'A', label: 'A: dissatisfied with service' },
              { value: 'B', label: 'B: inconvenient location' },
              { value: 'C', label: 'C: price-sensitive' },
              { value: 'D', label: 'D: needs reminding' },
            ],
          },
          { key: 'call_notes', label: 'What the customer said', type: 'textarea', required: false },
        ],
        priority: 'normal',
        sla: 'P3D',
        escalation: [{ role: 'department_head' }],
      },
    },
    {
      id: 'record_reason',
      kind: 'update_customer',
      name: 'Record the reason in the file',
      position: { x: 520, y: 320 },
      config: { churnReasonFrom: 'churn_reason', addTags: ['win_back'] },
    },
    {
      id: 'value_check',
      kind: 'decision',
      name: 'High-value customer?',
      position: { x: 780, y: 320 },
      config: {
        rules: [
          {
            handle: 'high_value',
            label: 'Core customer or high value',
            when: {
              any: [
                { var: 'customer.grade', op: 'eq', value: 'core' },
                { var: 'customer.value', op: 'gte', value: HIGH_VALUE_THRESHOLD },
              ],
            },
          },
        ],
      },
    },
    {
      id: 'escalate_early',
      kind: 'escalate',
      name: 'Head takes over early',
      position: { x: 1040, y: 80 },
      config: {
        role: 'department_head',
        priority: 'high',
        reason: 'A high-value customer is about to leave',
        instructions:
          'One-to-one treatment: contact the customer yourself. Win them back, hand the case back to the standard plan for their reason, or record them as lost.',
        outcomes: [
          { key: 'won_back', label: 'Won back' },
          { key: 'follow_plan', label: 'Run the standard plan' },
          { key: 'lost', label: 'Lost' },
        ],
        sla: 'P2D',
      },
    },
    {
      id: 'reason',
      kind: 'decision',
      name: 'Why are they leaving?',
      position: { x: 1300, y: 320 },
      config: {
        rules: [
          { handle: 'A', label: 'A: service', when: { var: 'churn_reason', op: 'eq', value: 'A' } },
          { handle: 'B', label: 'B: location', when: { var: 'churn_reason', op: 'eq', value: 'B' } },
          { handle: 'C', label: 'C: price', when: { var: 'churn_reason', op: 'eq', value: 'C' } },
          { handle: 'D', label: 'D: needs reminding', when: { var: 'churn_reason', op: 'eq', value: 'D' } },
        ],
      },
    },
    // A — dissatisfied with service: the head of department visits in person.
    {
      id: 'visit_invite',
      kind: 'notify',
      name: 'Invite: head will visit',
      position: { x: 1560, y: 20 },
      config: { channel: 'email', to: { kind: 'customer' }, template: 'visit_invite', vars: {} },
    },
    {
      id: 'head_visit',
      kind: 'task',
      name: 'Head visits in person',
      position: { x: 1820, y: 20 },
      config: {
        title: 'Visit the customer in person',
        instructions:
          'Find the concrete cause of their dissatisfaction, offer a free service experience, and agree a step-by-step rescue plan. Record the cause for the failure audit and for staff training.',
        assignee: { type: 'role', role: 'department_head', department: 'customer' },
        outcomes: [
          { key: 'won_back', label: 'Won back' },
          { key: 'lost', label: 'Lost' },
        ],
        form: [
          { key: 'visit_date', label: 'Visit date', type: 'date', required: true },
          { key: 'service_failure', label: 'The concrete cause', type: 'textarea', required: true },
          { key: 'rescue_plan', label: 'Agreed rescue plan', type: 'textarea', required: false },
        ],
        priority: 'high',
        sla: 'P7D',
        escalation: [],
      },
    },
    // B — inconvenient location: convenience first, then more.
    {
      id: 'offer_convenience',
      kind: 'offer',
      name: 'Convenience offers',
      position: { x: 1560, y: 220 },
      config: {
        tiers: [
          {
            label: 'Free pick-up and drop-off',
            incentive: { type: 'service', value: 0, description: 'we collect your vehicle and bring it back, free of charge' },
            validity: 'P14D',
          },
          {
            label: 'Courtesy car',
            incentive: { type: 'service', value: 0, description: 'a free courtesy car while we service your vehicle' },
            validity: 'P14D',
          },
          {
            label: 'On-site service',
            incentive: { type: 'service', value: 0, description: 'our technician services your vehicle at your premises' },
            validity: 'P21D',
          },
        ],
        channel: 'email',
        template: 'offer',
      },
    },
    // C — price-sensitive: a labour discount ladder, small first; the largest tier needs the head.
    {
      id: 'offer_price',
      kind: 'offer',
      name: 'Labour discount ladder',
      position: { x: 1560, y: 420 },
      config: {
        tiers: [
          { label: '5% off labour', incentive: { type: 'percent', value: 5, description: '5% off labour on your next service' }, validity: 'P14D' },
          { label: '10% off labour', incentive: { type: 'percent', value: 10, description: '10% off labour on your next service' }, validity: 'P14D' },
          { label: '15% off labour', incentive: { type: 'percent', value: 15, description: '15% off labour on your next service' }, validity: 'P14D' },
        ],
        approvalAbove: 10,
        channel: 'email',
        template: 'offer',
      },
    },
    // D — needs reminding: re-introduce the service, remind, and reward booking ahead.
    {
      id: 'reintroduce',
      kind: 'notify',
      name: 'Re-introduce the service',
      position: { x: 1560, y: 620 },
      config: { channel: 'email', to: { kind: 'customer' }, template: 'service_reintroduction', vars: { discount: '10%' } },
    },
    {
      id: 'wait_booking',
      kind: 'wait_response',
      name: 'Wait for a booking',
      position: { x: 1820, y: 620 },
      config: {
        kinds: ['accepted', 'declined'],
        timeout: 'P21D',
        reminders: [
          { after: 'P7D', template: 'reminder', channel: 'sms' },
          { after: 'P14D', template: 'reminder', channel: 'phone_reminder' },
        ],
        reminderText: 'your regular service is due; book ahead and we take 10% off.',
      },
    },
    {
      id: 'booking_call',
      kind: 'task',
      name: 'Call-back routine: book a visit',
      position: { x: 2080, y: 720 },
      config: {
        title: 'Call to book the next service',
        instructions:
          'Three weeks and two reminders without an answer. Call, explain why regular service matters, offer the 10% booking-ahead discount, and set the next contact date.',
        assignee: rep,
        outcomes: [
          { key: 'booked', label: 'Booked' },
          { key: 'not_interested', label: 'Not interested' },
        ],
        form: [
          { key: 'booking_date', label: 'Booked for', type: 'date', required: false },
          { key: 'next_contact', label: 'Next contact date', type: 'date', required: false },
        ],
        priority: 'normal',
        sla: 'P3D',
        escalation: [{ role: 'department_head' }],
      },
    },
    {
      id: 'escalate_exhausted',
      kind: 'escalate',
      name: 'Ladder exhausted: head',
      position: { x: 2080, y: 320 },
      config: {
        role: 'department_head',
        priority: 'high',
        reason: 'Win-back offers exhausted without an acceptance',
        instructions:
          'Every tier of the win-back ladder was declined, expired or refused. Decide whether to make a personal offer or let the customer go, and record why.',
        outcomes: [
          { key: 'won_back', label: 'Won back' },
          { key: 'lost', label: 'Lost' },
        ],
        sla: 'P3D',
      },
    },
    {
      id: 'mark_won_back',
      kind: 'update_customer',
      name: 'Mark won back',
      position: { x: 2340, y: 120 },
      config: { status: 'won_back', removeTags: ['win_back'] },
    },
    { id: 'end_won_back', kind: 'end', name: 'Won back', position: { x: 2600, y: 120 }, config: { outcome: 'won_back', reason: 'customer came back' } },
    { id: 'mark_lost', kind: 'update_customer', name: 'Mark lost', position: { x: 2340, y: 620 }, config: { status: 'lost', removeTags: ['win_back'] } },
    { id: 'end_lost', kind: 'end', name: 'Lost', position: { x: 2600, y: 620 }, config: { outcome: 'lost', reason: 'customer could not be won back' } },
    {
      id: 'end_no_reason',
      kind: 'end',
      name: 'No reason recorded',
      position: { x: 1560, y: 820 },
      config: { outcome: 'closed', reason: 'no churn reason A–D was recorded' },
    },
  ],
  edges: edges([
    ['start', 'next', 'call_back'],
    ['call_back', 'reason_recorded', 'record_reason'],
    ['record_reason', 'next', 'value_check'],
    ['value_check', 'high_value', 'escalate_early'],
    ['value_check', 'default', 'reason'],
    ['escalate_early', 'won_back', 'mark_won_back'],
    ['escalate_early', 'follow_plan', 'reason'],
    ['escalate_early', 'lost', 'mark_lost'],
    ['reason', 'A', 'visit_invite'],
    ['reason', 'B', 'offer_convenience'],
    ['reason', 'C', 'offer_price'],
    ['reason', 'D', 'reintroduce'],
    ['reason', 'default', 'end_no_reason'],
    ['visit_invite', 'next', 'head_visit'],
    ['head_visit', 'won_back', 'mark_won_back'],
    ['head_visit', 'lost', 'mark_lost'],
    ['offer_convenience', 'accepted', 'mark_won_back'],
    ['offer_convenience', 'exhausted', 'escalate_exhausted'],
    ['offer_price', 'accepted', 'mark_won_back'],
    ['offer_price', 'exhausted', 'escalate_exhausted'],
    ['reintroduce', 'next', 'wait_booking'],
    ['wait_booking', 'accepted', 'mark_won_back'],
    ['wait_booking', 'declined', 'mark_lost'],
    ['wait_booking', 'no_response', 'booking_call'],
    ['booking_call', 'booked', 'mark_won_back'],
    ['booking_call', 'not_interested', 'mark_lost'],
    ['escalate_exhausted', 'won_back', 'mark_won_back'],
    ['escalate_exhausted', 'lost', 'mark_lost'],
    ['mark_won_back', 'next', 'end_won_back'],
    ['mark_lost', 'next', 'end_lost'],
  ]),
};
