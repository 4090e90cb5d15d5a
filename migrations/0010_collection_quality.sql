-- Collection quality (B4): a quarantined row can now be fixed and resubmitted through a new
-- single-row batch (linked here) or discarded, and the overdue sweep remembers which missed
-- due date of a dataset it has already raised, so it notifies once per miss.

ALTER TABLE collection_quarantine DROP CONSTRAINT collection_quarantine_status_check;
ALTER TABLE collection_quarantine ADD CONSTRAINT collection_quarantine_status_check CHECK (status IN ('open', 'resubmitted', 'discarded'));
ALTER TABLE collection_quarantine ADD COLUMN resubmitted_batch_id uuid REFERENCES collection_batches(id); -- the batch of a fixed row (PUT), null when closed by a later batch or discarded
ALTER TABLE collection_quarantine ADD COLUMN resolved_by uuid; -- who fixed or discarded the row
ALTER TABLE collection_quarantine ADD COLUMN resolved_at timestamptz;

-- One row per dataset and missed due date: the sweep raised it (notification + audit) once.
CREATE TABLE dataset_overdue_notices (
  dataset_id uuid NOT NULL REFERENCES datasets(id),
  due_at timestamptz NOT NULL, -- the due date that was missed
  notified_at timestamptz NOT NULL,
  PRIMARY KEY (dataset_id, due_at)
);
