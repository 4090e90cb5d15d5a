-- Client certificates issued by the platform CA to API clients (mTLS, the second way a department
-- system authenticates). The private key is handed out once and never stored; the certificate is
-- public and kept so it can be listed, revoked and matched to the client on every request.
CREATE TABLE client_certificates (
  -- Lower-case hex of the certificate's serial number (random, 16 bytes).
  serial text PRIMARY KEY CHECK (serial ~ '^[0-9a-f]{2,64}$'),
  client_id uuid NOT NULL REFERENCES api_clients(id),
  department_id uuid NOT NULL REFERENCES departments(id),
  -- SHA-256 of the DER certificate, lower-case hex: how a presented certificate is found.
  fingerprint_sha256 text NOT NULL UNIQUE CHECK (fingerprint_sha256 ~ '^[0-9a-f]{64}$'),
  subject text NOT NULL,
  certificate_pem text NOT NULL,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  issued_by uuid, -- null when issued from the command line (the audit entry names it)
  issued_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid, -- null when revoked from the command line
  revoke_reason text,
  CHECK (not_after > not_before),
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX client_certificates_client ON client_certificates (client_id, issued_at DESC);
