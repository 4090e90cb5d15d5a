-- Sharing (共享, SPEC C1–C7): a consumer department's request for a published catalog entry's
-- data items, answered by the provider within working-day deadlines or escalated to the
-- authority; the confidentiality agreement (保密协议) of conditional and not-shared data; the
-- grant (授权) that the query API enforces item by item; the grant's daily usage.

-- Readable request numbers (GX + year + this sequence), never reused.
CREATE SEQUENCE share_request_no;

CREATE TABLE share_requests (
  id uuid PRIMARY KEY,
  no text NOT NULL UNIQUE, -- readable number, 共享申请 GX + year + sequence: GX2026000012
  entry_id uuid NOT NULL REFERENCES catalog_entries(id),
  entry_version integer NOT NULL, -- the published version applied for
  consumer_department_id uuid NOT NULL REFERENCES departments(id),
  provider_department_id uuid NOT NULL REFERENCES departments(id),
  share_type text NOT NULL CHECK (share_type IN ('unconditional', 'conditional', 'none')), -- the entry's, when applied
  -- The requested data items: [{nameEn, name, duty}], duty = the legal duty the item serves (C2).
  items jsonb NOT NULL,
  purpose text NOT NULL,
  scope text NOT NULL,
  legal_basis text NOT NULL DEFAULT '', -- the consumer's; required for not-shared data
  period_from date NOT NULL,
  period_until date NOT NULL,
  status text NOT NULL CHECK (status IN ('submitted', 'answered', 'confirmed', 'provided', 'refused', 'escalated', 'joint_review', 'ordered', 'withdrawn')), -- mirrors SHARE_REQUEST_STATUSES
  due_on date, -- last working day (Asia/Shanghai) of the current step; null when nobody owes a step by a date
  reminded_for date, -- the due date a reminder was last sent for, so a sweep reminds once
  -- The provider's answer: {items: [{nameEn, granted, masking}], reason, legalBasis, dailyQuota}.
  decision jsonb,
  escalation_reason text CHECK (escalation_reason IN ('unanswered', 'refusal_contested', 'not_provided', 'not_shared_data')),
  ruling text CHECK (ruling IN ('share', 'refuse')), -- the city government's ruling or the negotiated result in force
  violation_recorded_at timestamptz, -- the provider ignored a ruling to share (C4)
  grant_id uuid,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (period_from <= period_until)
);
CREATE INDEX share_requests_consumer ON share_requests (consumer_department_id, created_at DESC);
CREATE INDEX share_requests_provider ON share_requests (provider_department_id, status, due_on);
CREATE INDEX share_requests_due ON share_requests (status, due_on) WHERE due_on IS NOT NULL;

-- Every step of every request, in order: who did what, with the note and details.
CREATE TABLE share_request_events (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES share_requests(id),
  action text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  actor_id uuid, -- null for the platform's sweep
  actor_department_id uuid,
  note text NOT NULL DEFAULT '',
  details jsonb NOT NULL DEFAULT '{}',
  public boolean NOT NULL DEFAULT false, -- a negotiation result, published to all departments (C4)
  at timestamptz NOT NULL
);
CREATE INDEX share_request_events_request ON share_request_events (request_id, at);
CREATE INDEX share_request_events_public ON share_request_events (at DESC) WHERE public;

-- The confidentiality agreement of a conditional or not-shared grant (C6): generated from the
-- request and the answer; the grant cannot start before both departments accept it.
CREATE TABLE share_agreements (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL UNIQUE REFERENCES share_requests(id),
  text text NOT NULL,
  terms jsonb NOT NULL, -- parties, items, purpose, period, duties: what the text was generated from
  text_hash text NOT NULL, -- SM3 of the text, shown beside each acceptance
  consumer_accepted_by uuid,
  consumer_accepted_at timestamptz,
  provider_accepted_by uuid,
  provider_accepted_at timestamptz,
  created_at timestamptz NOT NULL,
  CHECK ((consumer_accepted_by IS NULL) = (consumer_accepted_at IS NULL)),
  CHECK ((provider_accepted_by IS NULL) = (provider_accepted_at IS NULL))
);

-- What a consumer department may read: the granted items of one entry's data, masked per item.
CREATE TABLE grants (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL UNIQUE REFERENCES share_requests(id),
  consumer_department_id uuid NOT NULL REFERENCES departments(id),
  provider_department_id uuid NOT NULL REFERENCES departments(id),
  entry_id uuid NOT NULL REFERENCES catalog_entries(id),
  items jsonb NOT NULL, -- [{nameEn, name, masking}], masking 'none' | 'partial'
  purpose text NOT NULL,
  legal_basis text NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_until date NOT NULL, -- the last day (Asia/Shanghai) it serves; it lapses after
  daily_quota integer NOT NULL CHECK (daily_quota >= 1),
  agreement_id uuid REFERENCES share_agreements(id),
  status text NOT NULL CHECK (status IN ('active', 'revoked', 'lapsed')),
  revoked_at timestamptz,
  revoked_by uuid,
  revoke_reason text,
  lapsed_at timestamptz,
  created_at timestamptz NOT NULL,
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX grants_consumer ON grants (consumer_department_id, status);
CREATE INDEX grants_provider ON grants (provider_department_id, status);

-- Calls served per grant per day (Asia/Shanghai), against its daily quota.
CREATE TABLE grant_usage (
  grant_id uuid NOT NULL REFERENCES grants(id),
  day date NOT NULL,
  calls integer NOT NULL,
  PRIMARY KEY (grant_id, day)
);

-- API clients of consumer systems may query shared data.
ALTER TABLE api_clients DROP CONSTRAINT api_clients_scopes_check;
ALTER TABLE api_clients ADD CONSTRAINT api_clients_scopes_check CHECK (scopes <@ ARRAY['collection:write', 'share:query']::text[]); -- mirrors CLIENT_SCOPES
