-- Data collection (归集): a published catalog entry with data items is a dataset; providers
-- send batches of records, kept with full history. No table here holds a raw identifier: an
-- identifier item's value is replaced by its subject token (the identifier lives in `subjects`).

CREATE TABLE datasets (
  id uuid PRIMARY KEY,
  entry_id uuid NOT NULL UNIQUE REFERENCES catalog_entries(id),
  code text NOT NULL UNIQUE, -- the entry's resource code
  department_id uuid NOT NULL REFERENCES departments(id),
  schema_version integer NOT NULL, -- the catalog version whose data items are the schema
  items jsonb NOT NULL, -- those data items, copied when the schema was taken
  key_kind text NOT NULL CHECK (key_kind IN ('subject', 'declared')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX datasets_department ON datasets (department_id);

-- One row per received batch (applied, partly applied or rejected); a retry with the same
-- Idempotency-Key finds it and gets the stored answer.
CREATE TABLE collection_batches (
  id uuid PRIMARY KEY,
  dataset_id uuid NOT NULL REFERENCES datasets(id),
  department_id uuid NOT NULL REFERENCES departments(id),
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  request_hash text NOT NULL, -- keyed HMAC of the request, to tell a retry from a different body
  mode text NOT NULL CHECK (mode IN ('atomic', 'partial')),
  status text NOT NULL CHECK (status IN ('applied', 'partial', 'rejected')),
  received integer NOT NULL,
  accepted integer NOT NULL,
  rejected integer NOT NULL,
  response jsonb NOT NULL, -- the answer sent, replayed on a retry
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (dataset_id, idempotency_key)
);
CREATE INDEX collection_batches_dataset ON collection_batches (dataset_id, created_at DESC);

-- Every version of every record; a change is a new row, a deletion a tombstone row.
CREATE TABLE dataset_records (
  dataset_id uuid NOT NULL REFERENCES datasets(id),
  record_key text NOT NULL, -- subject token or the provider's declared key
  version integer NOT NULL CHECK (version >= 1),
  raw jsonb NOT NULL, -- values as received, identifier values replaced by their token
  normalised jsonb NOT NULL,
  schema_version integer NOT NULL,
  batch_id uuid NOT NULL REFERENCES collection_batches(id),
  written_by uuid NOT NULL,
  written_at timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dataset_id, record_key, version)
);
CREATE INDEX dataset_records_batch ON dataset_records (batch_id);

-- The newest version per key: reading the current state is one primary-key lookup.
CREATE TABLE dataset_current (
  dataset_id uuid NOT NULL REFERENCES datasets(id),
  record_key text NOT NULL,
  version integer NOT NULL,
  fingerprint text NOT NULL, -- SM3 of the stored raw values and deleted flag: an unchanged resubmission matches it
  deleted boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (dataset_id, record_key)
);

-- Rows of a partial batch that failed validation, with the reasons, until resubmitted.
CREATE TABLE collection_quarantine (
  id uuid PRIMARY KEY,
  batch_id uuid NOT NULL REFERENCES collection_batches(id),
  dataset_id uuid NOT NULL REFERENCES datasets(id),
  row_no integer NOT NULL, -- 0-based index of the row in the batch's records
  record_key text, -- the row's key when it could be read (subject token or declared key), to close it once resent
  raw jsonb NOT NULL, -- the row as received, identifier values masked
  errors jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'resubmitted')),
  created_at timestamptz NOT NULL
);
CREATE INDEX collection_quarantine_dataset ON collection_quarantine (dataset_id, status, created_at DESC);
CREATE INDEX collection_quarantine_key ON collection_quarantine (dataset_id, record_key) WHERE status = 'open';
