-- Up Migration
-- An answer link is bound to what it was sent for: the attempt's first Temporal run (a later attempt
-- reuses the workflow id, never the first run id), the step and node, and the offer tier with the
-- words the customer saw. Rows from before stay valid: the API falls back to the attempt's
-- first_run_id and to the offer or agreement row named by `ref`.
ALTER TABLE answer_links
  ADD COLUMN first_run_id text,
  ADD COLUMN node_id text,
  ADD COLUMN step_id text,
  ADD COLUMN tier integer CHECK (tier IS NULL OR tier > 0),
  ADD COLUMN offer_text text,
  ADD COLUMN message_key text;

-- Down Migration
ALTER TABLE answer_links
  DROP COLUMN message_key,
  DROP COLUMN offer_text,
  DROP COLUMN tier,
  DROP COLUMN step_id,
  DROP COLUMN node_id,
  DROP COLUMN first_run_id;
