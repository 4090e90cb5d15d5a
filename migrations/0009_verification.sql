-- Multi-source verification (多源校核, SPEC B3): a department reports that its own copy of a
-- subject's basic data item differs; the item's responsible department answers within the
-- policy's working days. The subject is held by its vault token only, never the identifier.
CREATE TABLE verification_reports (
  id uuid PRIMARY KEY,
  basic_item_id uuid NOT NULL REFERENCES basic_items(id),
  subject_token text NOT NULL REFERENCES subjects(token),
  subject_kind text NOT NULL CHECK (subject_kind IN ('citizen_id', 'uscc', 'registration_no')), -- mirrors SUBJECT_KINDS
  subject_masked text NOT NULL, -- the identifier masked for display (1101**********002X), never the full value
  reporter_department_id uuid NOT NULL REFERENCES departments(id),
  responsible_department_id uuid NOT NULL REFERENCES departments(id), -- the item's responsible department when reported
  reported_value text NOT NULL,
  note text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('open', 'answered')), -- mirrors VERIFICATION_STATUSES
  due_on date NOT NULL, -- last working day for the answer (Asia/Shanghai); overdue after it
  outcome text CHECK (outcome IN ('confirmed', 'corrected')),
  answer_value text,
  answer_note text,
  answered_at timestamptz,
  answered_by uuid,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK ((status = 'answered') = (outcome IS NOT NULL AND answered_at IS NOT NULL))
);
CREATE INDEX verification_reports_reporter ON verification_reports (reporter_department_id, status, created_at DESC);
CREATE INDEX verification_reports_responsible ON verification_reports (responsible_department_id, status, due_on);
