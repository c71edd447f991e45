import type { PlaybookGraph } from '../graph';
import { callBackGraph } from './callBack';
import { commitmentOfferGraph } from './commitmentOffer';
import { complaintResponseGraph } from './complaintResponse';
import { naturalChurnTriageGraph } from './naturalChurnTriage';
import { tieredWinBackGraph } from './tieredWinBack';

export interface PlaybookTemplate {
  key: string;
  name: string;
  description: string;
  graph: PlaybookGraph;
}

/** Seeded in the embedded default and offered in the editor's "new from template". */
export const TEMPLATES: PlaybookTemplate[] = [
  { key: 'call-back', name: 'Call-back', description: 'A rep calls an at-risk customer back and records whether they were reached.', graph: callBackGraph },
  {
    key: 'complaint-response',
    name: 'Complaint response',
    description:
      'Acknowledge within 4 hours, record, investigate, fix, report back and wait for the verdict; escalate to the head on a missed SLA or an unhappy customer; close with handler and details.',
    graph: complaintResponseGraph,
  },
  {
    key: 'tiered-win-back',
    name: 'Tiered win-back',
    description:
      'Call a pre-churn customer back, record the reason (A–D) and run its plan: head visit, convenience offers, a labour discount ladder small to large, or reminders with a booking discount; the head takes over when the ladder runs out or the customer is valuable.',
    graph: tieredWinBackGraph,
  },
  {
    key: 'commitment-offer',
    name: 'Long-term commitment offer',
    description:
      'For valuable customers: draft a 12-month agreement with obligations on both sides, head approval, signature with reminders, quarterly check-ins over the term; escalate on a decline or breach.',
    graph: commitmentOfferGraph,
  },
  {
    key: 'natural-churn-triage',
    name: 'Natural-churn triage',
    description:
      'Record the churn type decided (natural, malicious, competitive, fault) and handle each: a credit check and a decision on the rating for malicious churn; the offer ladder raced against the head’s visit, first to win wins, for competitive; complaint handling escalated from the account manager to the head to a named director for fault; an experiment on offering a new line for natural churn.',
    graph: naturalChurnTriageGraph,
  },
];
