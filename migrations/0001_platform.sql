-- Platform foundation: regions, departments and their contacts, people and sessions,
-- the working-day calendar and the hash-chained audit trail.

CREATE TABLE regions (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  parent_code text REFERENCES regions(code)
);

CREATE TABLE departments (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  name_en text NOT NULL DEFAULT '',
  uscc text NOT NULL UNIQUE,
  region_code text NOT NULL REFERENCES regions(code),
  parent_id uuid REFERENCES departments(id),
  kind text NOT NULL CHECK (kind IN ('government', 'public_institution', 'people_organisation', 'vertical')),
  is_authority boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- Exactly one department can be the authority (主管部门) of the platform.
CREATE UNIQUE INDEX departments_one_authority ON departments (is_authority) WHERE is_authority;

-- Every contact change is a row; the newest row per (department, role) is the current contact.
CREATE TABLE department_contacts (
  id uuid PRIMARY KEY,
  department_id uuid NOT NULL REFERENCES departments(id),
  role text NOT NULL CHECK (role IN ('leader', 'sharing_officer', 'technical_officer')),
  name text NOT NULL,
  phone text NOT NULL,
  email text NOT NULL,
  effective_on date NOT NULL,
  reported_at timestamptz NOT NULL,
  reported_by uuid,
  is_late boolean NOT NULL
);
CREATE INDEX department_contacts_current ON department_contacts (department_id, role, reported_at DESC);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,64}$'),
  display_name text NOT NULL,
  department_id uuid NOT NULL REFERENCES departments(id),
  password_hash text NOT NULL,
  roles text[] NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
  id text PRIMARY KEY, -- SM3 of the cookie token; the token itself is never stored
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE calendar_years (
  year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  holidays jsonb NOT NULL,
  adjusted_workdays jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('official', 'operator')),
  updated_at timestamptz NOT NULL,
  updated_by uuid
);

-- Append-only. hash = SM3(prev_hash || canonical JSON of the entry); see src/platform/audit.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid,
  actor_name text NOT NULL,
  department_id uuid,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
  request_id text,
  details jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq DESC);
CREATE INDEX audit_log_department ON audit_log (department_id, seq DESC);
CREATE INDEX audit_log_action ON audit_log (action, seq DESC);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);

-- One row: the tip of the chain. Locking it serialises appends so the chain has no forks.
CREATE TABLE audit_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
