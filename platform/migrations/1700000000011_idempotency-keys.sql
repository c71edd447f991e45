-- Up Migration
-- A client's Idempotency-Key (a UUID, per user) and what the first request with it answered, so a
-- retry gets that answer instead of a second effect or a 409. `unknown`: the first request ended
-- without an answer (Temporal timed out, the API died); a retry runs it again, and the operation's
-- own keys (Update id, response id, attempt id derived from the key) make that safe.
CREATE TABLE idempotency_keys (
  user_id text NOT NULL,
  key uuid NOT NULL,
  operation text NOT NULL,
  request_hash text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_flight', 'done', 'unknown')),
  owner uuid NOT NULL,
  status int,
  body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
