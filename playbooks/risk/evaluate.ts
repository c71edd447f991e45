import type { RiskRules, RuleName } from './rules';

/**
 * The verdicts of the at-risk rules for one customer, as plain functions of the customer's facts
 * and a moment: no I/O, no clock. The evaluation workflow's activity, the dry run and the tests
 * all call `evaluateCustomer`, so a rule means the same thing everywhere.
 */
export const DAY_MS = 86_400_000;
/** The declining-orders rule compares two quarters of this many days each. */
export const QUARTER_DAYS = 90;

/** What the rules read about a customer, gathered up to `asOf` (times as epoch milliseconds). */
export interface CustomerFacts {
  id: string;
  status: string;
  /** When the status last changed (recovered customers start a fresh clock from then). */
  statusChangedAt: number | null;
  grade: string;
  department: string | null;
  expectedVisitDays: number | null;
  customerSince: number | null;
  /** The file's own "last seen" (a visit recorded by hand). */
  lastSeenAt: number | null;
  /** Latest visit or service. */
  lastVisitAt: number | null;
  lastOrderAt: number | null;
  lastPaymentAt: number | null;
  lastComplaintAt: number | null;
  /** Spend (orders and services) in the last QUARTER_DAYS days up to asOf, and in the QUARTER_DAYS before that. */
  spendLastQuarter: number;
  spendPriorQuarter: number;
}

export type RiskStatus = 'at_risk' | 'pre_churn' | 'churned';

/** A status change a rule asks for, with the trigger it fires and why. */
export interface RiskVerdict {
  customerId: string;
  from: string;
  to: RiskStatus;
  rule: RuleName;
  trigger: string;
  evidence: Record<string, string | number | boolean | null>;
}

/** How far along the way out a status is. The rules only ever move a customer further; playbooks and people bring them back. */
const SEVERITY: Record<string, number> = { active: 0, won_back: 0, retained: 0, at_risk: 1, pre_churn: 2, churned: 3 };
/** Statuses no rule touches: a customer recorded as lost stays lost until a person says otherwise. */
const UNTOUCHED = new Set(['lost']);
/** Statuses a customer is "back" in: their clocks restart from when they got there. */
const RECOVERED = new Set(['active', 'won_back', 'retained']);

export const TRIGGERS = {
  red_line: 'customer.red_line',
  pre_churn: 'customer.pre_churn',
  churned: 'customer.churned',
  complaint: 'customer.complaint',
  at_risk: 'customer.at_risk',
} as const;

const latest = (...times: (number | null)[]): number | null => times.reduce<number | null>((a, t) => (t === null ? a : a === null ? t : Math.max(a, t)), null);
const days = (ms: number) => Math.floor(ms / DAY_MS);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function severity(status: string): number {
  return SEVERITY[status] ?? 0;
}

/** Red line: not seen for longer than the line of the customer's department, else grade, else the default. */
export function redLine(rules: RiskRules, f: CustomerFacts, asOf: number, recoveredAt: number | null): RiskVerdict | null {
  const r = rules.redLine;
  if (!r.enabled) return null;
  const seen = latest(f.lastSeenAt, f.lastVisitAt, f.lastOrderAt, f.lastPaymentAt, recoveredAt) ?? f.customerSince;
  if (seen === null) return null;
  const line = (f.department !== null ? r.byDepartment[f.department] : undefined) ?? r.byGrade[f.grade as keyof typeof r.byGrade] ?? r.days;
  const unseen = days(asOf - seen);
  if (unseen <= line) return null;
  return {
    customerId: f.id,
    from: f.status,
    to: 'at_risk',
    rule: 'red_line',
    trigger: TRIGGERS.red_line,
    evidence: { lastSeen: iso(seen), daysUnseen: unseen, lineDays: line },
  };
}

/** Periodic business: every expected_visit_days without a visit is one missed visit. */
export function periodicBusiness(rules: RiskRules, f: CustomerFacts, asOf: number, recoveredAt: number | null): RiskVerdict | null {
  const r = rules.periodicBusiness;
  if (!r.enabled || !f.expectedVisitDays) return null;
  const since = latest(f.lastVisitAt, recoveredAt) ?? f.customerSince;
  if (since === null) return null;
  const missed = Math.floor(days(asOf - since) / f.expectedVisitDays);
  const to: RiskStatus | null = missed >= r.churnedAfterMissed ? 'churned' : missed >= r.preChurnAfterMissed ? 'pre_churn' : null;
  if (!to) return null;
  return {
    customerId: f.id,
    from: f.status,
    to,
    rule: 'periodic_business',
    trigger: to === 'churned' ? TRIGGERS.churned : TRIGGERS.pre_churn,
    evidence: { lastVisit: iso(since), expectedVisitDays: f.expectedVisitDays, missedVisits: missed },
  };
}

/** Declining orders: a long-standing customer with no order for M months, or whose spend fell by X % quarter on quarter. */
export function decliningOrders(rules: RiskRules, f: CustomerFacts, asOf: number, recoveredAt: number | null): RiskVerdict | null {
  const r = rules.decliningOrders;
  if (!r.enabled || f.customerSince === null) return null;
  const years = (asOf - f.customerSince) / (365.25 * DAY_MS);
  if (years < r.minYears) return null;
  const trigger = r.to === 'pre_churn' ? TRIGGERS.pre_churn : TRIGGERS.at_risk;
  const base = { customerId: f.id, from: f.status, to: r.to, rule: 'declining_orders' as const, trigger };
  const lastOrder = latest(f.lastOrderAt, recoveredAt);
  if (f.lastOrderAt !== null && lastOrder !== null && days(asOf - lastOrder) >= r.noOrderMonths * 30) {
    return { ...base, evidence: { customerYears: Math.floor(years), lastOrder: iso(lastOrder), daysWithoutOrder: days(asOf - lastOrder) } };
  }
  // A customer back within the last quarter is not judged on the quarter they were away.
  if (recoveredAt !== null && asOf - recoveredAt < QUARTER_DAYS * DAY_MS) return null;
  if (f.spendPriorQuarter > 0) {
    const drop = ((f.spendPriorQuarter - f.spendLastQuarter) / f.spendPriorQuarter) * 100;
    if (drop >= r.spendDropPercent) {
      return {
        ...base,
        evidence: {
          customerYears: Math.floor(years),
          spendLastQuarter: f.spendLastQuarter,
          spendPriorQuarter: f.spendPriorQuarter,
          dropPercent: Math.round(drop * 10) / 10,
        },
      };
    }
  }
  return null;
}

/** A complaint within the last N days (and since they were last recovered). */
export function complaint(rules: RiskRules, f: CustomerFacts, asOf: number, recoveredAt: number | null): RiskVerdict | null {
  const r = rules.complaint;
  if (!r.enabled || f.lastComplaintAt === null) return null;
  if (asOf - f.lastComplaintAt > r.withinDays * DAY_MS || (recoveredAt !== null && f.lastComplaintAt <= recoveredAt)) return null;
  return {
    customerId: f.id,
    from: f.status,
    to: 'at_risk',
    rule: 'complaint',
    trigger: TRIGGERS.complaint,
    evidence: { complaintAt: iso(f.lastComplaintAt), withinDays: r.withinDays },
  };
}

/** In this order a tie in severity is settled: the more specific signal names the change. */
const RULES = [periodicBusiness, decliningOrders, complaint, redLine];

/**
 * The one status change the rules ask for, or null: the most severe verdict, and only when it
 * moves the customer further than where they are (a pre-churn customer is not "moved" to at risk).
 */
export function evaluateCustomer(rules: RiskRules, f: CustomerFacts, asOf: number): RiskVerdict | null {
  if (UNTOUCHED.has(f.status)) return null;
  const recoveredAt = RECOVERED.has(f.status) ? f.statusChangedAt : null;
  let best: RiskVerdict | null = null;
  for (const rule of RULES) {
    const v = rule(rules, f, asOf, recoveredAt);
    if (v && (!best || severity(v.to) > severity(best.to))) best = v;
  }
  return best && severity(best.to) > severity(f.status) ? best : null;
}

export function evaluatePage(rules: RiskRules, facts: readonly CustomerFacts[], asOf: number): RiskVerdict[] {
  const out: RiskVerdict[] = [];
  for (const f of facts) {
    const v = evaluateCustomer(rules, f, asOf);
    if (v) out.push(v);
  }
  return out;
}
