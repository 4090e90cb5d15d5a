-- Everyone who wrote content into a version, so none of them can approve it (editors cannot
-- approve their own entries, even when they also hold the reviewer role).
ALTER TABLE catalog_versions ADD COLUMN edited_by uuid[] NOT NULL DEFAULT '{}';
UPDATE catalog_versions SET edited_by = ARRAY[created_by];
