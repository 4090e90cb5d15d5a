import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A timestamptz column: written as Date or ISO string, read as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A jsonb column holding T. */
type Json<T> = ColumnType<T, string, string>;

export type RegionsTable = { code: string; name: string; name_en: string; parent_code: string | null };

export type DepartmentsTable = {
  id: string;
  name: string;
  name_en: string;
  uscc: string;
  region_code: string;
  parent_id: string | null;
  kind: string;
  is_authority: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type DepartmentContactsTable = {
  id: string;
  department_id: string;
  role: string;
  name: string;
  phone: string;
  email: string;
  effective_on: string;
  reported_at: Timestamp;
  reported_by: string | null;
  is_late: boolean;
};

export type UsersTable = {
  id: string;
  username: string;
  display_name: string;
  department_id: string;
  password_hash: string;
  roles: string[];
  disabled: Generated<boolean>;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
  password_changed_at: Timestamp;
  created_at: Timestamp;
};

export type SessionsTable = { id: string; user_id: string; created_at: Timestamp; expires_at: Timestamp };

export type CalendarYearsTable = {
  year: number;
  holidays: Json<unknown>;
  adjusted_workdays: Json<unknown>;
  source: string;
  updated_at: Timestamp;
  updated_by: string | null;
};

export type AuditLogTable = {
  seq: number;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string;
  department_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
};

export type AuditHeadTable = { id: number; seq: number; hash: string };

export type CatalogEntriesTable = {
  id: string;
  code: string;
  class_code: string;
  seq: number;
  department_id: string;
  latest_version: number;
  published_version: number | null;
  created_at: Timestamp;
  created_by: string;
};

export type CatalogVersionsTable = {
  id: string;
  entry_id: string;
  version: number;
  status: string;
  name: string;
  data: Json<unknown>;
  search_text: string;
  return_reason: string | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  submitted_by: string | null;
  approved_by: string | null;
  edited_by: ColumnType<string[], string[] | undefined, string[]>;
  published_at: Timestamp | null;
  published_by: string | null;
};

export type CatalogTransitionsTable = {
  id: string;
  entry_id: string;
  version: number;
  action: string;
  from_status: string;
  to_status: string;
  reason: string | null;
  actor_id: string;
  at: Timestamp;
};

export type CatalogSnapshotsTable = {
  id: string;
  title: string;
  period: string;
  entries: Json<unknown>;
  entry_count: number;
  created_at: Timestamp;
  created_by: string;
};

export type CatalogFullReviewsTable = {
  department_id: string;
  year: number;
  completed_at: Timestamp;
  completed_by: string;
};

export type BasicItemsTable = {
  id: string;
  subject: string;
  category: string;
  category_en: string;
  name: string;
  name_en: string;
  department_id: string;
  sources: Json<string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type DepartmentListsTable = {
  id: string;
  department_id: string;
  kind: string;
  title: string;
  description: string;
  entry_id: string | null;
  created_at: Timestamp;
  created_by: string;
};

/** A bytea column: written as Buffer or Uint8Array, read as Uint8Array (a Buffer on the pg driver). */
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export type SubjectsTable = {
  token: string;
  kind: 'citizen_id' | 'uscc' | 'registration_no';
  key_id: string;
  iv: Bytes;
  ciphertext: Bytes;
  tag: Bytes;
  created_at: Timestamp;
  reencrypted_at: Timestamp | null;
};

export type DatasetsTable = {
  id: string;
  entry_id: string;
  code: string;
  department_id: string;
  schema_version: number;
  items: Json<unknown>;
  key_kind: 'subject' | 'declared';
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type CollectionBatchesTable = {
  id: string;
  dataset_id: string;
  department_id: string;
  idempotency_key: string;
  request_hash: string;
  mode: 'atomic' | 'partial';
  status: 'applied' | 'partial' | 'rejected';
  received: number;
  accepted: number;
  rejected: number;
  response: Json<unknown>;
  created_by: string;
  created_at: Timestamp;
};

export type DatasetRecordsTable = {
  dataset_id: string;
  record_key: string;
  version: number;
  raw: Json<unknown>;
  normalised: Json<unknown>;
  schema_version: number;
  batch_id: string;
  written_by: string;
  written_at: Timestamp;
  deleted: boolean;
};

export type DatasetCurrentTable = {
  dataset_id: string;
  record_key: string;
  version: number;
  fingerprint: string;
  deleted: boolean;
  updated_at: Timestamp;
};

export type CollectionQuarantineTable = {
  id: string;
  batch_id: string;
  dataset_id: string;
  row_no: number;
  record_key: string | null;
  raw: Json<unknown>;
  errors: Json<unknown>;
  status: 'open' | 'resubmitted' | 'discarded';
  created_at: Timestamp;
  resubmitted_batch_id: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
};

/** A missed due date of a dataset that the overdue sweep has raised once (collection quality). */
export type DatasetOverdueNoticesTable = { dataset_id: string; due_at: Timestamp; notified_at: Timestamp };

/** Where a file upload stands. */
export type UploadStatus = 'receiving' | 'processing' | 'done' | 'rejected' | 'failed';

export type CollectionUploadsTable = {
  id: string;
  dataset_id: string;
  department_id: string;
  filename: string;
  format: 'csv' | 'xlsx';
  mode: 'atomic' | 'partial';
  status: UploadStatus;
  header: Json<unknown> | null;
  rows_read: Generated<number>;
  accepted: Generated<number>;
  rejected: Generated<number>;
  unchanged: Generated<number>;
  error: Json<unknown> | null;
  created_by: string;
  created_at: Timestamp;
  finished_at: Timestamp | null;
};

export type CollectionUploadErrorsTable = {
  upload_id: string;
  row_no: number;
  values: Json<unknown>;
  errors: Json<unknown>;
};

export type ApiClientsTable = {
  id: string;
  department_id: string;
  name: string;
  /** SM3 hex of the secret (32 random bytes, so no slow hash is needed). */
  secret_hash: string;
  scopes: string[];
  created_by: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  last_used_at: Timestamp | null;
};

/** A client certificate the platform CA issued to an API client (mTLS); never its private key. */
export type ClientCertificatesTable = {
  /** Lower-case hex serial number. */
  serial: string;
  client_id: string;
  department_id: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint_sha256: string;
  subject: string;
  certificate_pem: string;
  not_before: Timestamp;
  not_after: Timestamp;
  issued_by: string | null;
  issued_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
};

/** An in-app notification addressed to a department, optionally to one user role there (platform/notifications). */
export type NotificationsTable = {
  id: string;
  department_id: string;
  role: string | null;
  kind: string;
  title: string;
  link: string | null;
  created_at: Timestamp;
};

export type NotificationReadsTable = { notification_id: string; user_id: string; read_at: Timestamp };

/** A 多源校核 report: another department's copy of a basic item differs (domains/verification). */
export type VerificationReportsTable = {
  id: string;
  basic_item_id: string;
  subject_token: string;
  subject_kind: 'citizen_id' | 'uscc' | 'registration_no';
  subject_masked: string;
  reporter_department_id: string;
  responsible_department_id: string;
  reported_value: string;
  note: string;
  status: 'open' | 'answered';
  due_on: string;
  outcome: 'confirmed' | 'corrected' | null;
  answer_value: string | null;
  answer_note: string | null;
  answered_at: Timestamp | null;
  answered_by: string | null;
  created_by: string;
  created_at: Timestamp;
};

export type ShareRequestsTable = {
  id: string;
  no: string;
  entry_id: string;
  entry_version: number;
  consumer_department_id: string;
  provider_department_id: string;
  share_type: 'unconditional' | 'conditional' | 'none';
  items: Json<unknown>;
  purpose: string;
  scope: string;
  legal_basis: string;
  period_from: string;
  period_until: string;
  status: string;
  due_on: string | null;
  reminded_for: string | null;
  decision: Json<unknown> | null;
  escalation_reason: string | null;
  ruling: 'share' | 'refuse' | null;
  violation_recorded_at: Timestamp | null;
  grant_id: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ShareRequestEventsTable = {
  id: string;
  request_id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_department_id: string | null;
  note: string;
  details: Json<Record<string, unknown>>;
  public: boolean;
  at: Timestamp;
};

export type ShareAgreementsTable = {
  id: string;
  request_id: string;
  text: string;
  terms: Json<unknown>;
  text_hash: string;
  consumer_accepted_by: string | null;
  consumer_accepted_at: Timestamp | null;
  provider_accepted_by: string | null;
  provider_accepted_at: Timestamp | null;
  created_at: Timestamp;
};

export type GrantsTable = {
  id: string;
  request_id: string;
  consumer_department_id: string;
  provider_department_id: string;
  entry_id: string;
  items: Json<unknown>;
  purpose: string;
  legal_basis: string;
  valid_from: Timestamp;
  valid_until: string;
  daily_quota: number;
  agreement_id: string | null;
  status: 'active' | 'revoked' | 'lapsed';
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  lapsed_at: Timestamp | null;
  created_at: Timestamp;
};

export type GrantUsageTable = { grant_id: string; day: string; calls: number };

/** Sharing query API usage per API client per day (Asia/Shanghai), for the anomaly alert. */
export type QueryClientDaysTable = { client_id: string; day: string; department_id: string; subjects: number; calls: number; alerted_at: Timestamp | null };

/** The subjects (tokens) an API client looked up on a day, so each counts once. */
export type QueryClientSubjectsTable = { client_id: string; day: string; subject_token: string };

/** Where an outgoing email stands (platform/notifications/email.ts). */
export type EmailStatus = 'queued' | 'sent' | 'failed' | 'dead';

/** An outgoing email, queued in the transaction of the change it reports and sent by the delivery worker. */
export type EmailOutboxTable = {
  id: string;
  to_addresses: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  kind: string;
  link: string | null;
  department_id: string | null;
  contact_role: 'leader' | 'sharing_officer' | 'technical_officer' | null;
  status: EmailStatus;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  message_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
};

/** A dispute about shared data (异议): a department's (D1) or a person's, filed by the authority (D2) (domains/disputes). */
export type DisputesTable = {
  id: string;
  no: string;
  kind: 'department_dispute' | 'public_objection';
  status: 'submitted' | 'technical' | 'transferred' | 'marked' | 'resolved';
  category: 'content' | 'format' | 'standard' | 'freshness' | 'error' | 'omission' | 'privacy';
  description: string;
  entry_id: string;
  dataset_code: string;
  dataset_name: string;
  dataset_name_en: Generated<string>;
  subject_token: string | null;
  subject_kind: 'citizen_id' | 'uscc' | 'registration_no' | null;
  subject_masked: string | null;
  channel: 'counter' | 'phone' | 'web' | null;
  requester_department_id: string;
  responsible_department_id: string;
  received_on: string;
  due_on: string | null;
  overdue_notified_at: Timestamp | null;
  marked_at: Timestamp | null;
  outcome: 'corrected' | 'confirmed' | null;
  outcome_note: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
};

/** One step of a dispute, filing included; append-only. */
export type DisputeStepsTable = {
  dispute_id: string;
  seq: number;
  action: 'file' | 'find_technical' | 'transfer' | 'mark' | 'resolve';
  from_status: string | null;
  to_status: string;
  note: string;
  outcome: 'corrected' | 'confirmed' | null;
  step_due_on: string | null;
  late: boolean;
  next_due_on: string | null;
  actor_id: string | null;
  actor_name: string;
  department_id: string | null;
  at: Timestamp;
};

/** The archived verification report (核查报告) of a resolved dispute. */
export type DisputeReportsTable = { dispute_id: string; pdf: Bytes; sm3: string; font: string; created_at: Timestamp };

export type GrantSubscriptionsTable = {
  id: string;
  grant_id: string;
  consumer_department_id: string;
  url: string;
  secret_version: Generated<number>;
  status: 'active' | 'paused';
  cursor_at: Timestamp | null;
  cursor_key: string | null;
  cursor_version: number | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type WebhookDeliveriesTable = {
  id: string;
  subscription_id: string;
  changes: Json<unknown>;
  status: 'pending' | 'delivered' | 'dead' | 'dropped';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  last_status: number | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
};

export type SchemaMigrationsTable = { version: string; name: string; applied_at: Timestamp };

/** Every table, as Kysely sees it. */
export type DB = {
  regions: RegionsTable;
  departments: DepartmentsTable;
  department_contacts: DepartmentContactsTable;
  users: UsersTable;
  sessions: SessionsTable;
  calendar_years: CalendarYearsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  catalog_entries: CatalogEntriesTable;
  catalog_versions: CatalogVersionsTable;
  catalog_transitions: CatalogTransitionsTable;
  catalog_snapshots: CatalogSnapshotsTable;
  catalog_full_reviews: CatalogFullReviewsTable;
  basic_items: BasicItemsTable;
  department_lists: DepartmentListsTable;
  subjects: SubjectsTable;
  datasets: DatasetsTable;
  collection_batches: CollectionBatchesTable;
  dataset_records: DatasetRecordsTable;
  dataset_current: DatasetCurrentTable;
  collection_quarantine: CollectionQuarantineTable;
  collection_uploads: CollectionUploadsTable;
  collection_upload_errors: CollectionUploadErrorsTable;
  dataset_overdue_notices: DatasetOverdueNoticesTable;
  api_clients: ApiClientsTable;
  client_certificates: ClientCertificatesTable;
  notifications: NotificationsTable;
  notification_reads: NotificationReadsTable;
  email_outbox: EmailOutboxTable;
  verification_reports: VerificationReportsTable;
  share_requests: ShareRequestsTable;
  share_request_events: ShareRequestEventsTable;
  share_agreements: ShareAgreementsTable;
  grants: GrantsTable;
  grant_usage: GrantUsageTable;
  grant_subscriptions: GrantSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  query_client_days: QueryClientDaysTable;
  query_client_subjects: QueryClientSubjectsTable;
  disputes: DisputesTable;
  dispute_steps: DisputeStepsTable;
  dispute_reports: DisputeReportsTable;
  schema_migrations: SchemaMigrationsTable;
};

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
