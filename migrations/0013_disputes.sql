-- Disputes about shared data (异议, SPEC D1–D2). One table holds both kinds:
--   department_dispute: a consumer department disputes a dataset's (or one record's) content,
--     format, standard or freshness; the platform checks, then corrects a technical cause itself
--     or transfers it to the responsible department, which checks and corrects (002 §56, 004 §44);
--   public_objection: a person disputes data about themselves, filed by the authority's staff on
--     their behalf; the authority marks the record, then decides or transfers it to the
--     responsible department, which verifies (001-data §33).
-- The subject is held by its vault token only, never the identifier. Every step is a row of
-- dispute_steps; the verification report (核查报告) is archived as a PDF in dispute_reports.

-- Readable dispute numbers (YY + year + this sequence), never reused.
CREATE SEQUENCE dispute_no;

CREATE TABLE disputes (
  id uuid PRIMARY KEY,
  no text NOT NULL UNIQUE, -- readable number: YY2026000012
  kind text NOT NULL CHECK (kind IN ('department_dispute', 'public_objection')), -- mirrors DISPUTE_KINDS
  -- mirrors the workflow of each kind in disputes.states.ts
  status text NOT NULL CHECK (
    (kind = 'department_dispute' AND status IN ('submitted', 'technical', 'transferred', 'resolved'))
    OR (kind = 'public_objection' AND status IN ('submitted', 'marked', 'transferred', 'resolved'))
  ),
  -- content / format / standard / freshness for a department; error / omission / privacy for the public (001-data §33)
  category text NOT NULL CHECK (
    (kind = 'department_dispute' AND category IN ('content', 'format', 'standard', 'freshness'))
    OR (kind = 'public_objection' AND category IN ('error', 'omission', 'privacy'))
  ),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  entry_id uuid NOT NULL REFERENCES catalog_entries(id), -- the disputed dataset's catalog entry
  dataset_code text NOT NULL, -- its resource code when filed
  dataset_name text NOT NULL, -- its name when filed
  dataset_name_en text NOT NULL DEFAULT '',
  subject_token text REFERENCES subjects(token), -- the disputed record's subject; null: the whole dataset
  subject_kind text CHECK (subject_kind IN ('citizen_id', 'uscc', 'registration_no')), -- mirrors SUBJECT_KINDS
  subject_masked text, -- the identifier masked for display (1101**********002X), never the full value
  channel text CHECK (channel IN ('counter', 'phone', 'web')), -- how a public objection came in; null for departments
  requester_department_id uuid NOT NULL REFERENCES departments(id), -- the disputing department, or the authority that took the objection
  responsible_department_id uuid NOT NULL REFERENCES departments(id), -- the dataset's providing department when filed
  received_on date NOT NULL, -- day of receipt (Asia/Shanghai); not counted in deadlines
  due_on date, -- last working day of the current step; null once resolved
  overdue_notified_at timestamptz, -- when the sweep raised the current step as overdue; cleared by every step
  marked_at timestamptz, -- public objection: the record carries the disputed mark from here until resolved
  outcome text CHECK (outcome IN ('corrected', 'confirmed')),
  outcome_note text,
  resolved_at timestamptz,
  resolved_by uuid,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((subject_token IS NULL) = (subject_kind IS NULL) AND (subject_token IS NULL) = (subject_masked IS NULL)),
  CHECK (kind = 'department_dispute' OR (subject_token IS NOT NULL AND channel IS NOT NULL)),
  CHECK (kind = 'public_objection' OR (channel IS NULL AND marked_at IS NULL)),
  CHECK ((status = 'resolved') = (outcome IS NOT NULL AND resolved_at IS NOT NULL)),
  CHECK ((status = 'resolved') = (due_on IS NULL))
);
CREATE INDEX disputes_requester ON disputes (requester_department_id, created_at DESC);
CREATE INDEX disputes_responsible ON disputes (responsible_department_id, created_at DESC);
CREATE INDEX disputes_open ON disputes (status, due_on) WHERE status <> 'resolved';
CREATE INDEX disputes_marks ON disputes (entry_id, subject_token) WHERE marked_at IS NOT NULL AND status <> 'resolved';

-- Every step of a dispute, filing included, in order; never updated.
CREATE TABLE dispute_steps (
  dispute_id uuid NOT NULL REFERENCES disputes(id),
  seq integer NOT NULL CHECK (seq >= 1),
  action text NOT NULL CHECK (action IN ('file', 'find_technical', 'transfer', 'mark', 'resolve')), -- mirrors DISPUTE_ACTIONS and 'file'
  from_status text, -- null for the filing
  to_status text NOT NULL,
  note text NOT NULL DEFAULT '',
  outcome text CHECK (outcome IN ('corrected', 'confirmed')),
  step_due_on date, -- the due date of the step this one completed (null for the filing)
  late boolean NOT NULL DEFAULT false, -- taken after that due date
  next_due_on date, -- the due date of the step this one opened (null once resolved)
  actor_id uuid,
  actor_name text NOT NULL,
  department_id uuid REFERENCES departments(id), -- the actor's department
  at timestamptz NOT NULL,
  PRIMARY KEY (dispute_id, seq)
);

-- The verification report (核查报告) of a resolved dispute, archived once (002 §56: 存档备查).
CREATE TABLE dispute_reports (
  dispute_id uuid PRIMARY KEY REFERENCES disputes(id),
  pdf bytea NOT NULL,
  sm3 text NOT NULL, -- SM3 hex of the PDF bytes
  font text NOT NULL, -- the CJK font embedded (PostScript name)
  created_at timestamptz NOT NULL
);
