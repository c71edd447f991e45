-- Up Migration

-- The outbox: a message is stored in the same transaction as the step that sent it, then a
-- dispatcher hands it to the transport. Nothing is sent that the run did not decide, nothing twice.
CREATE TABLE outbox_messages (
  id bigserial PRIMARY KEY,
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  message_key text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'messaging', 'phone_reminder')),
  recipient jsonb NOT NULL,
  template text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  link_url text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (attempt_id, message_key)
);
CREATE INDEX outbox_pending_idx ON outbox_messages (created_at) WHERE status = 'pending';

CREATE TABLE offers (
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  offer_key text NOT NULL,
  node_id text NOT NULL,
  tier integer NOT NULL,
  label text NOT NULL,
  incentive jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending_approval', 'made', 'accepted', 'declined', 'expired', 'rejected')),
  valid_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (attempt_id, offer_key)
);

CREATE TABLE agreements (
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  agreement_key text NOT NULL,
  customer_id text NOT NULL REFERENCES customers(id),
  node_id text NOT NULL,
  term_months integer NOT NULL,
  discount_percent numeric(5, 2) NOT NULL,
  obligations jsonb NOT NULL,
  breach_terms text NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'signed', 'declined', 'expired', 'breached', 'fulfilled')),
  signed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (attempt_id, agreement_key)
);

-- One-time answer links sent to customers. The token itself is never stored, only its hash.
CREATE TABLE answer_links (
  token_hash text PRIMARY KEY,
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  workflow_id text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('offer', 'commitment')),
  ref text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  answer text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE answer_links;
DROP TABLE agreements;
DROP TABLE offers;
DROP TABLE outbox_messages;
