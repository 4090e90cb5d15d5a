-- Sharing query API (共享查询, SPEC C7): what each API client looked up per day (Asia/Shanghai),
-- for the anomaly alert: a client that queries unusually many distinct subjects in a day is
-- reported to the providers and the authority, once per client per day.

-- Per API client per day: distinct subjects looked up, calls served, and when the day's alert went out.
CREATE TABLE query_client_days (
  client_id uuid NOT NULL REFERENCES api_clients(id),
  day date NOT NULL,
  department_id uuid NOT NULL REFERENCES departments(id),
  subjects integer NOT NULL CHECK (subjects >= 0),
  calls integer NOT NULL CHECK (calls >= 0),
  alerted_at timestamptz, -- null until the day's alert; set once, by whichever process crosses the bar first
  PRIMARY KEY (client_id, day)
);

-- The subjects (vault tokens, never identifiers) a client looked up on a day, so that a subject
-- asked for twice, or through two processes, counts once. Only the current day is needed; older
-- days are pruned by the query API.
CREATE TABLE query_client_subjects (
  client_id uuid NOT NULL,
  day date NOT NULL,
  subject_token text NOT NULL,
  PRIMARY KEY (client_id, day, subject_token)
);
