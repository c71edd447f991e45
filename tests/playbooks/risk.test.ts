import { DAY_MS, DEFAULT_RISK_RULES, evaluateCustomer, RiskRules, type CustomerFacts } from '../../playbooks/risk';

const NOW = Date.parse('2026-06-30T12:00:00Z');
const daysAgo = (d: number) => NOW - d * DAY_MS;

function facts(over: Partial<CustomerFacts> = {}): CustomerFacts {
  return {
    id: 'C-1',
    status: 'active',
    statusChangedAt: null,
    grade: 'ordinary',
    department: 'after_sales',
    expectedVisitDays: null,
    customerSince: daysAgo(2000),
    lastSeenAt: null,
    lastVisitAt: daysAgo(10),
    lastOrderAt: null,
    lastPaymentAt: null,
    lastComplaintAt: null,
    spendLastQuarter: 0,
    spendPriorQuarter: 0,
    ...over,
  };
}

const rules = (over: object = {}) => RiskRules.parse({ ...DEFAULT_RISK_RULES, ...over });

describe('periodic business: missed regular visits from the customer cadence', () => {
  it('one missed visit moves nobody, two make the customer pre-churn, three churned', () => {
    const cadence = { expectedVisitDays: 30 };
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ ...cadence, lastVisitAt: daysAgo(45) }), NOW)).toBeNull();
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ ...cadence, lastVisitAt: daysAgo(61) }), NOW)).toMatchObject({
      from: 'active',
      to: 'pre_churn',
      rule: 'periodic_business',
      trigger: 'customer.pre_churn',
      evidence: { missedVisits: 2, expectedVisitDays: 30 },
    });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ ...cadence, status: 'pre_churn', lastVisitAt: daysAgo(95) }), NOW)).toMatchObject({
      from: 'pre_churn',
      to: 'churned',
      trigger: 'customer.churned',
      evidence: { missedVisits: 3 },
    });
  });

  it('a customer without a cadence is not judged by it; a won-back customer starts a fresh clock', () => {
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ lastVisitAt: daysAgo(100) }), NOW)).toBeNull();
    const wonBack = facts({ expectedVisitDays: 30, lastVisitAt: daysAgo(200), status: 'won_back', statusChangedAt: daysAgo(20) });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, wonBack, NOW)).toBeNull();
  });

  it('never moves a customer back (churned stays churned) and leaves lost customers alone', () => {
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ expectedVisitDays: 30, lastVisitAt: daysAgo(61), status: 'churned' }), NOW)).toBeNull();
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ expectedVisitDays: 30, lastVisitAt: daysAgo(400), status: 'lost' }), NOW)).toBeNull();
  });
});

describe('red line: not seen for longer than the line', () => {
  it('uses the department line over the grade line over the default', () => {
    const r = rules({ redLine: { enabled: true, days: 120, byGrade: { core: 60 }, byDepartment: { key_accounts: 30 } } });
    expect(evaluateCustomer(r, facts({ lastVisitAt: daysAgo(90) }), NOW)).toBeNull();
    expect(evaluateCustomer(r, facts({ lastVisitAt: daysAgo(90), grade: 'core' }), NOW)).toMatchObject({
      to: 'at_risk',
      rule: 'red_line',
      trigger: 'customer.red_line',
      evidence: { daysUnseen: 90, lineDays: 60 },
    });
    expect(evaluateCustomer(r, facts({ lastVisitAt: daysAgo(40), grade: 'core', department: 'key_accounts' }), NOW)).toMatchObject({
      evidence: { lineDays: 30 },
    });
  });

  it('an order or a payment counts as being seen; disabled, the rule moves nobody', () => {
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ lastVisitAt: daysAgo(300), lastOrderAt: daysAgo(5) }), NOW)).toBeNull();
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ lastVisitAt: daysAgo(300), lastPaymentAt: daysAgo(5) }), NOW)).toBeNull();
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ lastVisitAt: daysAgo(300) }), NOW)).toMatchObject({ rule: 'red_line' });
    const off = rules({ redLine: { ...DEFAULT_RISK_RULES.redLine, enabled: false } });
    expect(evaluateCustomer(off, facts({ lastVisitAt: daysAgo(300) }), NOW)).toBeNull();
  });
});

describe('declining orders', () => {
  it('a customer of three years with no order for three months is pre-churn; a newer one is not', () => {
    const f = facts({ lastOrderAt: daysAgo(95), lastVisitAt: daysAgo(95), customerSince: daysAgo(4 * 365) });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, f, NOW)).toMatchObject({
      to: 'pre_churn',
      rule: 'declining_orders',
      trigger: 'customer.pre_churn',
      evidence: { customerYears: 3, daysWithoutOrder: 95 },
    });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, { ...f, customerSince: daysAgo(365) }, NOW)).toBeNull();
  });

  it('spend falling by the set percentage quarter on quarter', () => {
    const f = facts({ lastOrderAt: daysAgo(3), spendPriorQuarter: 1000, spendLastQuarter: 400 });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, f, NOW)).toMatchObject({ rule: 'declining_orders', evidence: { dropPercent: 60 } });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, { ...f, spendLastQuarter: 600 }, NOW)).toBeNull();
    const to = rules({ decliningOrders: { ...DEFAULT_RISK_RULES.decliningOrders, to: 'at_risk' } });
    expect(evaluateCustomer(to, f, NOW)).toMatchObject({ to: 'at_risk', trigger: 'customer.at_risk' });
  });
});

describe('complaint', () => {
  it('a complaint within the window makes the customer at risk and fires customer.complaint', () => {
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ lastComplaintAt: daysAgo(2) }), NOW)).toMatchObject({
      to: 'at_risk',
      rule: 'complaint',
      trigger: 'customer.complaint',
    });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, facts({ lastComplaintAt: daysAgo(45) }), NOW)).toBeNull();
  });

  it('the most severe verdict wins: a complaint does not hide two missed visits', () => {
    const f = facts({ lastComplaintAt: daysAgo(2), expectedVisitDays: 30, lastVisitAt: daysAgo(65) });
    expect(evaluateCustomer(DEFAULT_RISK_RULES, f, NOW)).toMatchObject({ to: 'pre_churn', rule: 'periodic_business' });
  });
});

describe('the rules schema', () => {
  it('refuses churned at fewer missed visits than pre-churn, with the path', () => {
    const r = RiskRules.safeParse({ periodicBusiness: { preChurnAfterMissed: 3, churnedAfterMissed: 2 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['periodicBusiness', 'churnedAfterMissed']);
  });
});
