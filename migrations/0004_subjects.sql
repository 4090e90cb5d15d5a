-- The identity vault: each citizen ID number, unified social credit code or registration
-- number is held once, encrypted, and every other table refers to it only by its token
-- (hex HMAC-SM3 of the normalised identifier). The ciphertext is bound to its token as GCM
-- additional data, so it cannot be moved to another row.
CREATE TABLE subjects (
  token text PRIMARY KEY CHECK (token ~ '^[0-9a-f]{64}$'),
  kind text NOT NULL CHECK (kind IN ('citizen_id', 'uscc', 'registration_no')),
  key_id text NOT NULL,
  iv bytea NOT NULL CHECK (octet_length(iv) = 12),
  ciphertext bytea NOT NULL,
  tag bytea NOT NULL CHECK (octet_length(tag) = 16),
  created_at timestamptz NOT NULL,
  reencrypted_at timestamptz
);

-- Key rotation finds the rows still under old keys through this index.
CREATE INDEX subjects_key_id_idx ON subjects (key_id);
