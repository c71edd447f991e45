/**
 * Message templates a `notify` (or offer, commitment, reminder) step can send. Placeholders are
 * {{name}}; the compiler checks that each template exists. Wording follows the articles: make the
 * customer feel heard, report back quickly, and present a discount as a reward, not bait.
 */
export interface MessageTemplate {
  key: string;
  label: string;
  subject: string;
  body: string;
}

export const MESSAGE_TEMPLATES: readonly MessageTemplate[] = [
  { key: 'complaint_ack', label: 'Complaint acknowledged', subject: 'We heard you', body: 'Dear {{customer.name}}, thank you for telling us. {{handler}} is looking into it now and will report back to you shortly.' },
  { key: 'solution_report', label: 'Solution and result reported', subject: 'What we did about your complaint', body: 'Dear {{customer.name}}, here is what we found and what we did: {{solution}}. Please keep an eye on it and tell us if anything is still not right.' },
  { key: 'reminder', label: 'Friendly reminder', subject: 'A reminder from us', body: 'Dear {{customer.name}}, a friendly reminder: {{reminder_text}}' },
  { key: 'service_reintroduction', label: 'Service re-introduction', subject: 'Why regular service matters', body: 'Dear {{customer.name}}, regular service keeps you safe and saves money later. Book ahead and we take {{discount}} off.' },
  { key: 'offer', label: 'Offer', subject: 'Something for you', body: 'Dear {{customer.name}}, as a thank-you for your loyalty: {{offer}}. Valid until {{valid_until}}. Accept or decline here: {{link}}' },
  { key: 'commitment_offer', label: 'Long-term agreement offer', subject: 'A longer partnership', body: 'Dear {{customer.name}}, we propose a {{term_months}}-month agreement with {{discount}} off and these commitments from us: {{obligations}}. Review and sign here: {{link}}' },
  { key: 'visit_invite', label: 'Head of department visit', subject: 'May we visit you?', body: 'Dear {{customer.name}}, the head of our department would like to visit you in person to hear how we can do better.' },
  { key: 'escalation_notice', label: 'Escalation to staff', subject: 'Escalated: {{customer.name}}', body: 'A case has been escalated to you: {{reason}}. Priority: {{priority}}.' },
  { key: 'free_text', label: 'Free text', subject: '{{subject}}', body: '{{text}}' },
];

export function findMessageTemplate(key: string): MessageTemplate | undefined {
  return MESSAGE_TEMPLATES.find((t) => t.key === key);
}

/** Fill {{placeholders}} from run variables; a missing one becomes an empty string, never a crash. */
export function renderTemplate(text: string, vars: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (_, name: string) => {
    let value: unknown = vars[name];
    if (value === undefined && name.includes('.')) {
      value = name.split('.').reduce<unknown>((acc, part) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[part] : undefined), vars);
    }
    return value === undefined || value === null ? '' : String(value);
  });
}
