-- Up Migration

-- The retention loop's data: what customers do (activity from other systems), what the at-risk
-- rules read about each customer, and every change of a customer's status with why it changed.

ALTER TABLE customers
  -- Periodic business: how many days apart the customer's regular visits are expected (NULL: none).
  ADD COLUMN expected_visit_days integer CHECK (expected_visit_days IS NULL OR expected_visit_days BETWEEN 1 AND 3650),
  -- Since when they are a customer (the declining-orders rule reads "a customer of at least Y years").
  ADD COLUMN customer_since date,
  ADD COLUMN status_changed_at timestamptz;

-- One row per thing a customer did, as another system reported it. (source, external_id) makes the
-- ingest idempotent: a repeat of the same report changes nothing.
CREATE TABLE customer_activity (
  id bigserial PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  kind text NOT NULL CHECK (kind IN ('visit', 'service', 'order', 'payment', 'complaint', 'contact')),
  source text NOT NULL DEFAULT 'api' CHECK (length(source) BETWEEN 1 AND 100),
  external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
  occurred_at timestamptz NOT NULL,
  amount numeric(14, 2),
  currency text CHECK (currency IS NULL OR currency ~ '^[A-Z]{3}$'),
  details jsonb NOT NULL DEFAULT '{}',
  recorded_by text REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, external_id)
);
CREATE INDEX customer_activity_customer_idx ON customer_activity (customer_id, kind, occurred_at DESC);
CREATE INDEX customer_activity_month_idx ON customer_activity (occurred_at, customer_id);

-- Every status change of a customer: from, to, which rule (or playbook, or person) and the evidence.
-- Written by a trigger on customers.status, so no path that changes a status can forget it. The
-- writer says why through transaction-local settings (set_config(..., true)):
--   retention.status_rule      'red_line' | 'periodic_business' | 'declining_orders' | 'complaint' | 'playbook' | 'manual' | 'import'
--   retention.status_rule_version, retention.status_evidence (JSON), retention.status_attempt (uuid),
--   retention.status_changed_by (user id)
CREATE TABLE customer_status_history (
  id bigserial PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  from_status text NOT NULL,
  to_status text NOT NULL,
  rule text NOT NULL,
  rule_version integer,
  evidence jsonb NOT NULL DEFAULT '{}',
  attempt_id uuid REFERENCES recovery_attempts(id),
  changed_by text REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_status_history_customer_idx ON customer_status_history (customer_id, at DESC);
CREATE INDEX customer_status_history_month_idx ON customer_status_history (at, to_status);

CREATE FUNCTION record_customer_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.status_changed_at := now();
    INSERT INTO customer_status_history (customer_id, from_status, to_status, rule, rule_version, evidence, attempt_id, changed_by)
    VALUES (
      NEW.id, OLD.status, NEW.status,
      COALESCE(NULLIF(current_setting('retention.status_rule', true), ''), 'manual'),
      NULLIF(current_setting('retention.status_rule_version', true), '')::integer,
      COALESCE(NULLIF(current_setting('retention.status_evidence', true), '')::jsonb, '{}'::jsonb),
      NULLIF(current_setting('retention.status_attempt', true), '')::uuid,
      NULLIF(current_setting('retention.status_changed_by', true), '')
    );
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER customers_status_history BEFORE UPDATE OF status ON customers
  FOR EACH ROW EXECUTE FUNCTION record_customer_status_change();

-- History is evidence: the app appends and reads it, never rewrites it.
REVOKE UPDATE, DELETE ON customer_status_history FROM retention_app;

-- Down Migration
DROP TRIGGER customers_status_history ON customers;
DROP FUNCTION record_customer_status_change();
DROP TABLE customer_status_history;
DROP TABLE customer_activity;
ALTER TABLE customers DROP COLUMN status_changed_at, DROP COLUMN customer_since, DROP COLUMN expected_visit_days;
