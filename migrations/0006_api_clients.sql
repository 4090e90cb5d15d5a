-- Machine credentials (API clients) of department systems and the front-end processor: an id
-- and a secret shown once. They authenticate with `Authorization: Bearer <id>.<secret>`.
CREATE TABLE api_clients (
  id uuid PRIMARY KEY,
  department_id uuid NOT NULL REFERENCES departments(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- SM3 hex of the secret. Not scrypt like passwords: the secret is 32 random bytes, so there is
  -- no dictionary to attack and a fast hash is as strong as a slow one, while scrypt would add
  -- ~50 ms to every API request. Sessions are stored the same way.
  secret_hash text NOT NULL,
  scopes text[] NOT NULL CHECK (scopes <@ ARRAY['collection:write']::text[]), -- mirrors CLIENT_SCOPES
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid,
  revoke_reason text,
  last_used_at timestamptz, -- updated at most once a minute
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX api_clients_department ON api_clients (department_id, created_at DESC);
