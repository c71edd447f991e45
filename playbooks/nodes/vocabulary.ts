/** The domain's fixed lists (../shared/domain.md), shared by the kinds that set them and the decisions that read them. */
export const CUSTOMER_STATUSES = ['at_risk', 'pre_churn', 'churned', 'won_back', 'retained', 'lost'] as const;
/** Why customers leave: each is handled differently (malicious churn by credit management). */
export const CHURN_TYPES = ['natural', 'malicious', 'competitive', 'fault'] as const;
/** The reasons a call-back records (A service, B location, C price, D needs reminding). */
export const CHURN_REASONS = ['A', 'B', 'C', 'D'] as const;
/** A credit check's verdict on the customer: the rating a decision branches on. */
export const CREDIT_RATINGS = ['good', 'fair', 'poor'] as const;
