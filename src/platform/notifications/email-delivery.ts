import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createTransport, type NodemailerError, type SendMailOptions, type SMTPSentMessageInfo, type Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { type Executor, inTransaction, type Row } from '../db/index.js';
import type { AppContext } from '../http/index.js';
import { type Poller, startPoller } from '../jobs/poller.js';

/**
 * The delivery worker of the email outbox. Every process may run it: a row is claimed with
 * `FOR UPDATE SKIP LOCKED` in a short transaction that pushes its `next_attempt_at` ahead (a
 * lease), and the SMTP exchange happens after that transaction, so no database connection (on
 * PGlite: the only one) waits on a mail server. Delivery is at least once: a process that dies
 * between the server's acceptance and marking the row sent sends it again after the lease; the
 * Message-ID stays the same (`<email id@sender domain>`), so mail clients can tell the copies apart.
 */

/** Waits before the next try after the 1st, 2nd … failed one: operational, not a regulated period. */
export const EMAIL_RETRY_DELAYS_MS = [1, 5, 30, 120, 360, 720].map((minutes) => minutes * 60_000);
/** Tries before an email is given up (`dead`): the first plus one after each delay. */
export const EMAIL_MAX_ATTEMPTS = EMAIL_RETRY_DELAYS_MS.length + 1;
/** How long a claimed email stays with its worker; well above one SMTP exchange under the timeouts below. */
const LEASE_MS = 5 * 60_000;
/** Bounds of one SMTP exchange, so a silent server cannot hold a worker for nodemailer's default minutes. */
const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000, dnsTimeout: 20_000 };
/** Most emails one run sends; the next run carries on. */
const MAX_PER_RUN = 200;
const MAX_ERROR = 1000;

/** The footer of every email, Chinese first. */
export const EMAIL_FOOTER = '此邮件由汇通政务数据共享平台自动发送，请勿直接回复。\nSent automatically by the Huitong data-sharing platform; please do not reply.';

/** What one delivery run did. */
export type DeliveryResult = { sent: number; failed: number; dead: number };

type Claimed = Row<'email_outbox'>;
type Outcome = { status: 'sent'; messageId: string; refused: string[] } | { status: 'failed' | 'dead'; error: string; stopRun: boolean };

/**
 * Sends the emails due at `now`: claims them one at a time, sends each over SMTP
 * (HUITONG_SMTP_URL), marks it sent, or schedules the next try (EMAIL_RETRY_DELAYS_MS) until
 * EMAIL_MAX_ATTEMPTS, then `dead`. A recipient the server refuses for good (5xx at RCPT) is dead
 * at once. A failure not about the message itself (connection, timeout, login) ends the run, so a
 * broken server costs one try per run. Without HUITONG_SMTP_URL it does nothing.
 */
export async function deliverQueuedEmails(app: AppContext, now: Date, opts: { limit?: number } = {}): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, failed: 0, dead: 0 };
  const url = app.config.HUITONG_SMTP_URL;
  if (!url) return result;
  const db = app.database.db;
  result.dead += await giveUpInterrupted(db, now);
  const started = performance.now();
  let transport: Transporter<SMTPSentMessageInfo> | undefined;
  try {
    for (let i = 0; i < (opts.limit ?? MAX_PER_RUN); i++) {
      // The lease counts from the run's `now` plus the time the run has taken so far.
      const email = await claimNext(db, now, new Date(now.getTime() + (performance.now() - started) + LEASE_MS));
      if (!email) break;
      transport ??= createTransport({ url, ...SMTP_TIMEOUTS });
      const outcome = await sendOne(transport, app.config, email);
      await settle(db, email, outcome, now);
      result[outcome.status]++;
      if (outcome.status === 'sent') {
        app.log.info({ emailId: email.id, kind: email.kind, messageId: outcome.messageId }, 'email sent');
      } else {
        app.log.warn({ emailId: email.id, kind: email.kind, attempts: email.attempts, status: outcome.status, error: outcome.error }, 'email not sent');
        if (outcome.stopRun) break;
      }
    }
  } finally {
    transport?.close();
  }
  return result;
}

/** Claims the next due email: locks it (skipping rows other workers hold), counts the try and leases it. */
async function claimNext(db: Executor, now: Date, leaseUntil: Date): Promise<Claimed | undefined> {
  return inTransaction(db, async (tx) => {
    const row = await tx
      .selectFrom('email_outbox')
      .selectAll()
      .where('status', 'in', ['queued', 'failed'])
      .where('next_attempt_at', '<=', now)
      .where('attempts', '<', EMAIL_MAX_ATTEMPTS)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) return undefined;
    const attempts = row.attempts + 1;
    await tx.updateTable('email_outbox').set({ attempts, next_attempt_at: leaseUntil }).where('id', '=', row.id).execute();
    return { ...row, attempts };
  });
}

/** Emails whose last allowed try was cut off (the worker died holding them): dead, not tried again. */
async function giveUpInterrupted(db: Executor, now: Date): Promise<number> {
  const res = await db
    .updateTable('email_outbox')
    .set({ status: 'dead', last_error: sql<string>`coalesce(last_error || ' / ', '') || ${'delivery interrupted on the last attempt 最后一次投递被中断'}` })
    .where('status', 'in', ['queued', 'failed'])
    .where('next_attempt_at', '<=', now)
    .where('attempts', '>=', EMAIL_MAX_ATTEMPTS)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

async function sendOne(transport: Transporter<SMTPSentMessageInfo>, config: Config, email: Claimed): Promise<Outcome> {
  try {
    const info = await transport.sendMail(composeEmail(email, config));
    return { status: 'sent', messageId: info.messageId, refused: info.rejected.map(String) };
  } catch (err) {
    const e = err as NodemailerError;
    const aboutMessage = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
    // A recipient refused for good will be refused again: no point in retrying for a day.
    const refusedForGood = e.permanent === true && (e.code === 'EENVELOPE' || /^RCPT/i.test(e.command ?? ''));
    const dead = refusedForGood || email.attempts >= EMAIL_MAX_ATTEMPTS;
    return { status: dead ? 'dead' : 'failed', error: describeError(e), stopRun: !aboutMessage };
  }
}

/** Writes the outcome of a try, unless the row has since been claimed again (its lease ran out). */
async function settle(db: Executor, email: Claimed, outcome: Outcome, now: Date): Promise<void> {
  const patch =
    outcome.status === 'sent'
      ? {
          status: 'sent' as const,
          sent_at: now,
          message_id: outcome.messageId.slice(0, 998),
          last_error: outcome.refused.length ? `refused recipients 被拒收件人: ${outcome.refused.join(', ')}`.slice(0, MAX_ERROR) : null,
        }
      : outcome.status === 'dead'
        ? { status: 'dead' as const, last_error: outcome.error }
        : { status: 'failed' as const, last_error: outcome.error, next_attempt_at: new Date(now.getTime() + retryDelayMs(email.attempts)) };
  await db
    .updateTable('email_outbox')
    .set(patch)
    .where('id', '=', email.id)
    .where('attempts', '=', email.attempts)
    .where('status', 'in', ['queued', 'failed'])
    .execute();
}

/** The wait after the `attempts`-th failed try. */
export function retryDelayMs(attempts: number): number {
  return EMAIL_RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), EMAIL_RETRY_DELAYS_MS.length) - 1] as number;
}

function describeError(e: NodemailerError): string {
  const code = [e.code, e.responseCode].filter((x) => x !== undefined).join(' ');
  return `${code ? `[${code}] ` : ''}${e.message}`.replace(/\s+/g, ' ').slice(0, MAX_ERROR);
}

/**
 * The message as it goes out: the stored body, then the link (made absolute with
 * HUITONG_PUBLIC_URL; left a path when that is unset) and the footer; an HTML alternative only
 * when one was queued.
 */
export function composeEmail(email: Claimed, config: Pick<Config, 'HUITONG_MAIL_FROM' | 'HUITONG_PUBLIC_URL'>): SendMailOptions {
  const link = email.link ? absoluteLink(email.link, config.HUITONG_PUBLIC_URL) : null;
  const text = [email.text_body.trimEnd(), link ? `查看详情 View: ${link}` : null, `-- \n${EMAIL_FOOTER}`].filter((x) => x !== null).join('\n\n');
  const html = email.html_body
    ? `${email.html_body}${link ? `<p>查看详情 View: <a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : ''}<hr><p style="color:#888">${EMAIL_FOOTER.split('\n').map(escapeHtml).join('<br>')}</p>`
    : undefined;
  return {
    from: config.HUITONG_MAIL_FROM,
    to: email.to_addresses,
    subject: email.subject,
    text,
    ...(html ? { html } : {}),
    messageId: `<${email.id}@${senderDomain(config.HUITONG_MAIL_FROM)}>`,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Huitong-Kind': email.kind },
  };
}

/** A web UI path under the public base URL (which may itself carry a path); absolute links stay as they are. */
export function absoluteLink(link: string, publicUrl: string | undefined): string {
  if (/^https?:\/\//i.test(link) || !publicUrl) return link;
  return `${publicUrl.replace(/\/+$/, '')}${link.startsWith('/') ? link : `/${link}`}`;
}

function senderDomain(from: string): string {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  return address.slice(address.lastIndexOf('@') + 1).trim() || 'huitong.local';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The background delivery of this process, stopped (waiting for a run in progress) on close. */
export type EmailDelivery = Poller;

/**
 * Delivers queued emails every HUITONG_MAIL_POLL_SECONDS. Without HUITONG_SMTP_URL, or with the
 * interval 0, it says so once in the log and runs nothing: emails stay queued and visible.
 */
export function startEmailDelivery(app: AppContext): EmailDelivery {
  const seconds = app.config.HUITONG_MAIL_POLL_SECONDS;
  if (!app.config.HUITONG_SMTP_URL) {
    app.log.warn('email: HUITONG_SMTP_URL is not set, so emails are queued (GET /api/v1/emails) but not sent');
    return { stop: async () => {} };
  }
  if (seconds === 0) {
    app.log.info('email: this process does not deliver emails (HUITONG_MAIL_POLL_SECONDS=0)');
    return { stop: async () => {} };
  }
  if (!app.config.HUITONG_PUBLIC_URL) app.log.warn('email: HUITONG_PUBLIC_URL is not set, so links in emails are sent as bare paths');
  return startPoller(app, { name: 'email delivery run', seconds, run: () => deliverQueuedEmails(app, app.clock.now()) });
}
