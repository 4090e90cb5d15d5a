-- File uploads (CSV / xlsx) into a dataset, processed in the background in chunks that go
-- through the batch use-case. Progress counters reflect committed work only. The error rows
-- kept for the report hold identifier values masked, never raw.

CREATE TABLE collection_uploads (
  id uuid PRIMARY KEY,
  dataset_id uuid NOT NULL REFERENCES datasets(id),
  department_id uuid NOT NULL REFERENCES departments(id),
  filename text NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  mode text NOT NULL CHECK (mode IN ('atomic', 'partial')),
  status text NOT NULL CHECK (status IN ('receiving', 'processing', 'done', 'rejected', 'failed')),
  header jsonb, -- the file's column names, for the error report
  rows_read integer NOT NULL DEFAULT 0,
  accepted integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  error jsonb, -- why the whole upload was rejected or failed: { code, message }
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX collection_uploads_dataset ON collection_uploads (dataset_id, created_at DESC);
CREATE INDEX collection_uploads_unfinished ON collection_uploads (status) WHERE status IN ('receiving', 'processing');

-- The rejected rows of an upload (first 10,000), for the downloadable error report.
CREATE TABLE collection_upload_errors (
  upload_id uuid NOT NULL REFERENCES collection_uploads(id),
  row_no integer NOT NULL, -- the row number a spreadsheet shows
  "values" jsonb NOT NULL, -- the row by column name, identifier values masked
  errors jsonb NOT NULL, -- [{ field, rule, message }], field = column name
  PRIMARY KEY (upload_id, row_no)
);
