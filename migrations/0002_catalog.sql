-- The government information resource catalog (政务信息资源目录): entries, their versions
-- and workflow history, publication snapshots, the basic-information catalog and the
-- per-department responsibility / demand / negative lists.

CREATE TABLE catalog_entries (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE, -- 前段码 (classification) + '/' + 后段码 (sequence)
  class_code text NOT NULL CHECK (class_code ~ '^[1-3][0-9]{2}[0-9]{3}[0-9]*$'),
  seq integer NOT NULL,
  department_id uuid NOT NULL REFERENCES departments(id),
  latest_version integer NOT NULL,
  published_version integer,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL,
  UNIQUE (class_code, seq)
);
CREATE INDEX catalog_entries_department ON catalog_entries (department_id);

CREATE TABLE catalog_versions (
  id uuid PRIMARY KEY,
  entry_id uuid NOT NULL REFERENCES catalog_entries(id),
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'published', 'returned', 'superseded')),
  name text NOT NULL,
  data jsonb NOT NULL, -- every metadata field and the data items, as validated by ZEntryFields
  search_text text NOT NULL, -- lower-cased name, English name, keywords, item names and summary
  return_reason text,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_by uuid,
  approved_by uuid,
  published_at timestamptz,
  published_by uuid,
  UNIQUE (entry_id, version)
);
CREATE INDEX catalog_versions_status ON catalog_versions (status);
-- A name is unique among the entries that are live (not superseded).
CREATE INDEX catalog_versions_name ON catalog_versions (name);

CREATE TABLE catalog_transitions (
  id uuid PRIMARY KEY,
  entry_id uuid NOT NULL REFERENCES catalog_entries(id),
  version integer NOT NULL,
  action text NOT NULL,
  from_status text NOT NULL,
  to_status text NOT NULL,
  reason text,
  actor_id uuid NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX catalog_transitions_entry ON catalog_transitions (entry_id, at);

-- A half-yearly publication (公示) keeps full copies, so it reads as it was when made.
CREATE TABLE catalog_snapshots (
  id uuid PRIMARY KEY,
  title text NOT NULL,
  period text NOT NULL UNIQUE CHECK (period ~ '^[0-9]{4}-H[12]$'),
  entries jsonb NOT NULL,
  entry_count integer NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL
);

-- A department confirms the yearly full review of its catalog; the reminder reads this.
CREATE TABLE catalog_full_reviews (
  department_id uuid NOT NULL REFERENCES departments(id),
  year integer NOT NULL,
  completed_at timestamptz NOT NULL,
  completed_by uuid NOT NULL,
  PRIMARY KEY (department_id, year)
);

-- 基准信息目录: each basic data item has exactly one responsible collecting department.
CREATE TABLE basic_items (
  id uuid PRIMARY KEY,
  subject text NOT NULL CHECK (subject IN ('population', 'legal_person', 'natural_resources')),
  category text NOT NULL,
  category_en text NOT NULL DEFAULT '',
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  department_id uuid NOT NULL REFERENCES departments(id),
  sources jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (category, name)
);
CREATE INDEX basic_items_department ON basic_items (department_id);

-- 责任清单 / 需求清单 / 负面清单 (001-data §21).
CREATE TABLE department_lists (
  id uuid PRIMARY KEY,
  department_id uuid NOT NULL REFERENCES departments(id),
  kind text NOT NULL CHECK (kind IN ('responsibility', 'demand', 'negative')),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  entry_id uuid REFERENCES catalog_entries(id),
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL
);
CREATE INDEX department_lists_department ON department_lists (department_id, kind);
