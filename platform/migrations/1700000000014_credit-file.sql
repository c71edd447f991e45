-- Up Migration

-- Credit management for malicious churn (customers who leave to escape obligations, e.g. an unpaid
-- balance): every credit check a person made, and the customer's credit file as it stands after the
-- latest. The rows are written by the persistence activity when a credit_check step completes
-- (workers/effects.ts, command record_credit_check), keyed by the attempt and the step's own key so a
-- retried transition writes nothing twice.

-- The rating history: one row per check, with who made it and when.
CREATE TABLE credit_checks (
  id bigserial PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  attempt_id uuid REFERENCES recovery_attempts(id),
  check_key text NOT NULL,
  node_id text,
  rating text NOT NULL CHECK (rating IN ('good', 'fair', 'poor')),
  outstanding_balance numeric(14, 2) NOT NULL CHECK (outstanding_balance >= 0),
  notes text,
  checked_by text REFERENCES users(id),
  checked_at timestamptz NOT NULL,
  UNIQUE (attempt_id, check_key)
);
CREATE INDEX credit_checks_customer_idx ON credit_checks (customer_id, checked_at DESC, id DESC);

-- The file itself: the current rating and balance, and the check they come from.
CREATE TABLE credit_files (
  customer_id text PRIMARY KEY REFERENCES customers(id),
  rating text NOT NULL CHECK (rating IN ('good', 'fair', 'poor')),
  outstanding_balance numeric(14, 2) NOT NULL,
  last_check_id bigint NOT NULL REFERENCES credit_checks(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A check, once made, is history: the app may add checks, never change or remove one.
GRANT SELECT, INSERT ON credit_checks TO retention_app;
REVOKE UPDATE, DELETE ON credit_checks FROM retention_app;
GRANT SELECT, INSERT, UPDATE ON credit_files TO retention_app;
GRANT USAGE, SELECT ON SEQUENCE credit_checks_id_seq TO retention_app;

-- Down Migration

DROP TABLE credit_files;
DROP TABLE credit_checks;
