import { sql } from 'kysely';
import { uuidv7 } from '../crypto/ids.js';
import type { Executor, Row } from '../db/index.js';
import type { EmailStatus } from '../db/schema.js';
import { platformError } from '../errors.js';

/**
 * The email channel. Emails are queued in `email_outbox` inside the caller's transaction, so an
 * email exists exactly when the change it reports does; the delivery worker (email-delivery.ts)
 * sends them afterwards. Like in-app notifications, subjects are one bilingual line, Chinese first.
 */

/** The three published contacts of a department (`department_contacts`): people with an email, not accounts. */
export const CONTACT_ROLES = ['leader', 'sharing_officer', 'technical_officer'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** Every status an outgoing email can be in; see migrations/0012_email_outbox.sql. */
export const EMAIL_STATUSES = ['queued', 'sent', 'failed', 'dead'] as const satisfies readonly EmailStatus[];

/** An email to queue. */
export type NewEmail = {
  /** Recipient addresses (1–50); duplicates are dropped. */
  to: string[];
  /** One bilingual line, Chinese first: "共享申请待答复 Share request awaiting your answer". */
  subject: string;
  /** The plain-text body; the link and a footer are added when it is sent. */
  text: string;
  /** An optional HTML alternative of the same content. */
  html?: string | null;
  /** What it is about, dotted like audit actions: 'sharing.request_submitted'. */
  kind: string;
  /** A path in the web UI, e.g. `/sharing/requests/<id>`; made absolute with HUITONG_PUBLIC_URL when sent. */
  link?: string | null;
  at: Date;
};

/** An email to one of a department's current contacts. */
export type DepartmentContactEmail = Omit<NewEmail, 'to'> & { departmentId: string; contactRole: ContactRole };

/** One outgoing email as operators see it in the list. */
export type EmailView = {
  id: string;
  to: string[];
  subject: string;
  kind: string;
  link: string | null;
  departmentId: string | null;
  contactRole: ContactRole | null;
  status: EmailStatus;
  attempts: number;
  /** When the next try is due; null once sent or dead. */
  nextAttemptAt: string | null;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
};

/** One outgoing email with its bodies. */
export type EmailDetail = EmailView & { text: string; html: string | null };

const MAX_SUBJECT = 500;
const MAX_TEXT = 100_000;
const MAX_HTML = 200_000;
const MAX_RECIPIENTS = 50;
/** A single mailbox address: no display name, no spaces, commas or angle brackets (no header injection). */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

/** Whether a string is one plain email address this channel can send to. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/**
 * Queues an email inside the caller's transaction; the delivery worker sends it once that
 * transaction has committed. Returns the email's id. A malformed address or an empty subject or
 * body is the caller's mistake: VALIDATION_FAILED.
 */
export async function queueEmail(tx: Executor, email: NewEmail): Promise<string> {
  return insertEmail(tx, email, null);
}

/**
 * Queues an email to a department's current contact of a role (the newest reported row, as the
 * published contact directory shows it). Returns false, queuing nothing, when the department has
 * no such contact or the contact's address is not one an email can go to.
 */
export async function emailDepartmentContact(tx: Executor, email: DepartmentContactEmail): Promise<boolean> {
  const contact = await tx
    .selectFrom('department_contacts')
    .select('email')
    .where('department_id', '=', email.departmentId)
    .where('role', '=', email.contactRole)
    .orderBy('reported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const address = contact?.email.trim() ?? '';
  if (!isEmailAddress(address)) return false;
  const { departmentId, contactRole, ...rest } = email;
  await insertEmail(tx, { ...rest, to: [address] }, { departmentId, contactRole });
  return true;
}

async function insertEmail(tx: Executor, e: NewEmail, contact: { departmentId: string; contactRole: ContactRole } | null): Promise<string> {
  const to = [...new Map(e.to.map((a) => [a.trim().toLowerCase(), a.trim()])).values()];
  const bad = to.filter((a) => !isEmailAddress(a));
  if (to.length === 0 || to.length > MAX_RECIPIENTS || bad.length > 0) {
    throw platformError('VALIDATION_FAILED', `An email needs 1–${MAX_RECIPIENTS} valid recipient addresses. 邮件收件人地址无效。`, {
      errors: [{ field: 'to', rule: 'email_addresses', message: bad.length ? `not an address 地址无效: ${bad.join(', ')}` : `1–${MAX_RECIPIENTS} addresses 需 1–${MAX_RECIPIENTS} 个地址` }],
    });
  }
  // A subject is one header line: line breaks become spaces, so nothing can be smuggled into the headers.
  const subject = clip(stripNul(e.subject).replace(/\s+/g, ' ').trim(), MAX_SUBJECT);
  const text = clip(stripNul(e.text), MAX_TEXT);
  const html = e.html ? clip(stripNul(e.html), MAX_HTML) : null;
  if (e.kind.length < 1 || e.kind.length > 64) {
    throw platformError('VALIDATION_FAILED', 'An email kind has 1–64 characters. 邮件类型需 1–64 个字符。', {
      errors: [{ field: 'kind', rule: 'length', message: '1–64 characters 1–64 个字符' }],
    });
  }
  if (!subject || !text.trim()) {
    throw platformError('VALIDATION_FAILED', 'An email needs a subject and a body. 邮件需有主题和正文。', {
      errors: [{ field: subject ? 'text' : 'subject', rule: 'required', message: 'required 必填' }],
    });
  }
  const id = uuidv7();
  await tx
    .insertInto('email_outbox')
    .values({
      id,
      to_addresses: to,
      subject,
      text_body: text,
      html_body: html,
      kind: e.kind,
      link: e.link ?? null,
      department_id: contact?.departmentId ?? null,
      contact_role: contact?.contactRole ?? null,
      status: 'queued',
      attempts: 0,
      next_attempt_at: e.at,
      created_at: e.at,
    })
    .execute();
  return id;
}

function stripNul(s: string): string {
  return s.replaceAll('\u0000', '');
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Filters and page of the outbox list. */
export type EmailQuery = { status?: EmailStatus | undefined; kind?: string | undefined; departmentId?: string | undefined; page: number; pageSize: number };

/** Outgoing emails, newest first, with the total matching the filters. */
export async function listEmails(db: Executor, q: EmailQuery): Promise<{ items: EmailView[]; total: number }> {
  let base = db.selectFrom('email_outbox');
  if (q.status) base = base.where('status', '=', q.status);
  if (q.kind) base = base.where('kind', '=', q.kind);
  if (q.departmentId) base = base.where('department_id', '=', q.departmentId);
  const { total } = await base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { total: Number(total), items: rows.map(presentEmail) };
}

/** One outgoing email with its bodies; NOT_FOUND when there is none. */
export async function getEmail(db: Executor, id: string): Promise<EmailDetail> {
  const row = await db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw platformError('NOT_FOUND', 'No such email. 邮件不存在。');
  return { ...presentEmail(row), text: row.text_body, html: row.html_body };
}

function presentEmail(r: Row<'email_outbox'>): EmailView {
  const pending = r.status === 'queued' || r.status === 'failed';
  return {
    id: r.id,
    to: r.to_addresses,
    subject: r.subject,
    kind: r.kind,
    link: r.link,
    departmentId: r.department_id,
    contactRole: r.contact_role,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: pending ? new Date(r.next_attempt_at).toISOString() : null,
    lastError: r.last_error,
    messageId: r.message_id,
    createdAt: new Date(r.created_at).toISOString(),
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
  };
}
