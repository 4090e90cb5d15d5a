-- Outgoing email (邮件发件箱). A row is queued inside the transaction of the change it reports, so
-- an email exists exactly when that change does; a delivery worker sends it afterwards over SMTP
-- and retries with growing delays. Delivery status is operational state, not audited.
CREATE TABLE email_outbox (
  id uuid PRIMARY KEY,
  to_addresses text[] NOT NULL CHECK (cardinality(to_addresses) BETWEEN 1 AND 50),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500), -- bilingual: "中文 English"
  text_body text NOT NULL CHECK (length(text_body) BETWEEN 1 AND 100000),
  html_body text CHECK (length(html_body) <= 200000),
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64), -- what it is about, e.g. 'sharing.request_submitted'
  link text, -- a path in the web UI; made absolute with HUITONG_PUBLIC_URL when sent
  department_id uuid REFERENCES departments(id), -- the department whose contact it went to; null for other addresses
  contact_role text CHECK (contact_role IN ('leader', 'sharing_officer', 'technical_officer')),
  -- queued: not tried yet; failed: the last try failed, tried again at next_attempt_at;
  -- sent: the SMTP server accepted it; dead: given up (attempts used up, or the address refused for good)
  status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'dead')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL, -- also pushed ahead while a worker holds the row (its lease)
  last_error text,
  message_id text, -- the Message-ID the SMTP server accepted, to find it in the mail server's log
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK ((contact_role IS NULL) = (department_id IS NULL))
);
-- What the worker claims: due rows still to deliver.
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
CREATE INDEX email_outbox_created ON email_outbox (created_at DESC, id DESC);
CREATE INDEX email_outbox_status ON email_outbox (status, created_at DESC);
