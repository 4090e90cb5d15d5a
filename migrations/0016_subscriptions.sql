-- Subscriptions to a grant's changes (订阅): a consumer system pulls the change feed with a
-- cursor, or the platform pushes each change batch to its webhook, signed with HMAC, retried
-- with backoff until delivered or dead (the dead-letter list the consumer replays from).
-- Nothing here holds shared values: a delivery names the changed records (subject tokens and
-- versions) and its body is rendered through the grant when it is sent, so a revoked or lapsed
-- grant sends nothing and only granted items ever leave the platform.

CREATE TABLE grant_subscriptions (
  id uuid PRIMARY KEY,
  grant_id uuid NOT NULL UNIQUE REFERENCES grants(id),
  consumer_department_id uuid NOT NULL REFERENCES departments(id),
  url text NOT NULL CHECK (url ~ '^https?://'),
  -- The signing secret is derived from the vault's HMAC key, the id and this number (never
  -- stored); rotating the secret increments it.
  secret_version integer NOT NULL DEFAULT 1,
  status text NOT NULL CHECK (status IN ('active', 'paused')),
  -- Where the enqueuer stopped in the dataset's history: (written_at, record_key, version).
  cursor_at timestamptz,
  cursor_key text,
  cursor_version integer,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES grant_subscriptions(id),
  changes jsonb NOT NULL, -- [{recordKey, version}] in feed order: references, never values
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'dropped')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  last_status integer, -- the receiver's HTTP status on the last attempt
  created_at timestamptz NOT NULL,
  delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC);

-- The feed reads a dataset's history in (written_at, record_key, version) order.
CREATE INDEX dataset_records_feed ON dataset_records (dataset_id, written_at, record_key, version);
