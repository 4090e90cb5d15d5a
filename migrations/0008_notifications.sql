-- In-app notifications (站内通知). A notification is addressed to a department, optionally only
-- to the holders of one user role there; every person it reaches marks it read for themselves.
-- Email and webhooks are a later issue.
CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  department_id uuid NOT NULL REFERENCES departments(id),
  role text, -- a user role (src/platform/actor.ts ROLES); null: everyone of the department
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64), -- what it is about, e.g. 'verification.answered'
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500), -- bilingual: "中文 English"
  link text, -- a path in the web UI, e.g. /verifications/<id>
  created_at timestamptz NOT NULL
);
CREATE INDEX notifications_department ON notifications (department_id, created_at DESC);

-- Who has read which notification; a notification without a row here is unread for that person.
CREATE TABLE notification_reads (
  notification_id uuid NOT NULL REFERENCES notifications(id),
  user_id uuid NOT NULL REFERENCES users(id),
  read_at timestamptz NOT NULL,
  PRIMARY KEY (notification_id, user_id)
);
CREATE INDEX notification_reads_user ON notification_reads (user_id);
