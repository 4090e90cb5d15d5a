import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.js';
import { inTransaction } from '../db/index.js';
import { AppError } from '../errors.js';
import { emailDepartmentContact, queueEmail } from './email.js';
import { deliverQueuedEmails, EMAIL_FOOTER, EMAIL_MAX_ATTEMPTS, EMAIL_RETRY_DELAYS_MS } from './email-delivery.js';

const PUBLIC_URL = 'https://huitong.example.gov.cn/portal/';

let sink: SmtpSink;
let t: TestPlatform;
let adminName: string;
/** A fresh session of the platform administrator (tests move the clock past session lifetimes). */
const admin = () => t.login(adminName);
beforeAll(async () => {
  sink = await startSmtpSink();
  // No background delivery here: each test runs the worker itself, at the fake clock's time.
  t = await startTestPlatform({ template: 'empty', config: { HUITONG_SMTP_URL: sink.url, HUITONG_PUBLIC_URL: PUBLIC_URL, HUITONG_MAIL_POLL_SECONDS: '0' } });
  const department = await t.makeDepartment();
  adminName = await t.makeUser({ roles: ['platform_admin'], departmentId: department });
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

const db = () => t.app.database.db;
const row = (id: string) => db().selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const received = (subject: string) => sink.messages.filter((m) => m.subject === subject);
/** Queues one email in a committed transaction of its own; returns its id. */
const queue = (subject: string, extra: Partial<Parameters<typeof queueEmail>[1]> = {}) =>
  inTransaction(db(), (tx) => queueEmail(tx, { to: ['officer@psb.hz.gov.cn'], subject, text: '请处理。', kind: 'test.email', at: t.clock.now(), ...extra }));

describe('queueing an email', () => {
  it('queues nothing when the transaction that queued it rolls back', async () => {
    const subject = '回滚的邮件 Rolled back';
    await expect(
      inTransaction(db(), async (tx) => {
        await queueEmail(tx, { to: ['officer@psb.hz.gov.cn'], subject, text: '不应发出。', kind: 'test.rollback', at: t.clock.now() });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db().selectFrom('email_outbox').select('id').where('subject', '=', subject).execute()).toEqual([]);
    await deliverQueuedEmails(t.app, t.clock.now());
    expect(received(subject)).toEqual([]);
  });

  it('refuses a malformed recipient or an empty subject as VALIDATION_FAILED, and keeps a subject on one line', async () => {
    const bad = queue('坏地址 Bad address', { to: ['officer@psb.hz.gov.cn', 'not an address\r\nBcc: x@y.cn'] });
    await expect(bad).rejects.toBeInstanceOf(AppError);
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 422 });
    await expect(queue('  \n ')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(queue('无收件人 No recipients', { to: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const id = await queue('第一行\r\nBcc: spy@example.com 第二行', { to: ['A@x.cn', 'a@x.cn', 'b@x.cn'] });
    expect(await row(id)).toMatchObject({ subject: '第一行 Bcc: spy@example.com 第二行', to_addresses: ['a@x.cn', 'b@x.cn'], status: 'queued', attempts: 0 });
    await deliverQueuedEmails(t.app, t.clock.now());
    const [m] = received('第一行 Bcc: spy@example.com 第二行');
    expect(m?.envelopeTo).toEqual(['a@x.cn', 'b@x.cn']);
    expect(m?.headers.bcc).toBeUndefined();
  });
});

describe('delivering emails', () => {
  it('sends a queued email with its sender, recipients, subject and Chinese text intact, the link made absolute', async () => {
    const subject = '共享申请待答复：人口户籍登记信息 Share request awaiting your answer';
    const text = '惠州市民政局申请共享“人口户籍登记信息”，请于 2026年12月7日前答复。\n申请事由：低保资格核查。';
    const id = await queue(subject, { to: ['luojie@psb.hz.gov.cn', 'caizhenyu@psb.hz.gov.cn'], text, link: '/sharing/requests/42', kind: 'sharing.request_submitted' });
    const sentAt = t.clock.now();
    expect(await deliverQueuedEmails(t.app, sentAt)).toEqual({ sent: 1, failed: 0, dead: 0 });

    const [m] = received(subject);
    expect(m).toBeDefined();
    expect(m?.envelopeFrom).toBe('noreply@huitong.local');
    expect(m?.envelopeTo).toEqual(['luojie@psb.hz.gov.cn', 'caizhenyu@psb.hz.gov.cn']);
    expect(m?.headers.from).toBe('汇通 Huitong <noreply@huitong.local>');
    expect(m?.headers.to).toBe('luojie@psb.hz.gov.cn, caizhenyu@psb.hz.gov.cn');
    expect(m?.headers['content-type']).toMatch(/charset=utf-8/i);
    expect(m?.headers['auto-submitted']).toBe('auto-generated');
    expect(m?.headers['message-id']).toBe(`<${id}@huitong.local>`);
    expect(m?.text).toBe(`${text}\n\n查看详情 View: https://huitong.example.gov.cn/portal/sharing/requests/42\n\n-- \n${EMAIL_FOOTER}`);
    expect(m?.html).toBeUndefined();

    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, sent_at: sentAt, message_id: `<${id}@huitong.local>`, last_error: null });
    // Sent once: a second run finds nothing due.
    expect(await deliverQueuedEmails(t.app, t.clock.now())).toEqual({ sent: 0, failed: 0, dead: 0 });
    expect(received(subject)).toHaveLength(1);
  });

  it('sends an HTML alternative beside the text when one was queued', async () => {
    const subject = '数据异议待核查 Data dispute to check';
    await queue(subject, { html: '<p>请核查<b>异议</b>。</p>', link: '/disputes/7' });
    await deliverQueuedEmails(t.app, t.clock.now());
    const [m] = received(subject);
    expect(m?.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(m?.text).toContain('请处理。');
    expect(m?.html).toContain('<p>请核查<b>异议</b>。</p>');
    expect(m?.html).toContain('<a href="https://huitong.example.gov.cn/portal/disputes/7">');
  });

  it('retries a refused email after growing delays on the fake clock, then gives it up as dead', async () => {
    const subject = '重试的邮件 Retried';
    sink.refuseRecipients({ code: 451, message: 'Mailbox busy, try again later' });
    try {
      const id = await queue(subject);
      for (let attempt = 1; attempt <= EMAIL_MAX_ATTEMPTS; attempt++) {
        const now = t.clock.now();
        expect(await deliverQueuedEmails(t.app, now)).toEqual(attempt < EMAIL_MAX_ATTEMPTS ? { sent: 0, failed: 1, dead: 0 } : { sent: 0, failed: 0, dead: 1 });
        const r = await row(id);
        expect(r.attempts).toBe(attempt);
        expect(r.last_error).toMatch(/451.*Mailbox busy/);
        if (attempt === EMAIL_MAX_ATTEMPTS) {
          expect(r.status).toBe('dead');
          break;
        }
        expect(r.status).toBe('failed');
        const delay = EMAIL_RETRY_DELAYS_MS[attempt - 1] as number;
        expect(new Date(r.next_attempt_at).getTime() - now.getTime()).toBe(delay);
        // Not due a millisecond early.
        t.clock.set(new Date(new Date(r.next_attempt_at).getTime() - 1));
        expect(await deliverQueuedEmails(t.app, t.clock.now())).toEqual({ sent: 0, failed: 0, dead: 0 });
        expect((await row(id)).attempts).toBe(attempt);
        t.clock.set(r.next_attempt_at);
      }
      expect(EMAIL_RETRY_DELAYS_MS.slice(0, 4)).toEqual([60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000]);
      // Dead stays dead, however much later the worker runs.
      sink.refuseRecipients(null);
      t.clock.advance(30 * 24 * 3_600_000);
      await deliverQueuedEmails(t.app, t.clock.now());
      expect(received(subject)).toEqual([]);
      expect((await row(id)).status).toBe('dead');
    } finally {
      sink.refuseRecipients(null);
    }
  });

  it('sends on a later try once the server accepts again, clearing the error', async () => {
    const subject = '稍后送达 Delivered later';
    sink.refuseRecipients({ code: 452, message: 'Insufficient system storage' });
    const id = await queue(subject);
    await deliverQueuedEmails(t.app, t.clock.now());
    sink.refuseRecipients(null);
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1 });
    t.clock.advance(EMAIL_RETRY_DELAYS_MS[0] as number);
    expect(await deliverQueuedEmails(t.app, t.clock.now())).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(received(subject)).toHaveLength(1);
  });

  it('gives up at once on a recipient the server refuses for good', async () => {
    sink.refuseRecipients({ code: 550, message: 'No such user here' });
    try {
      const id = await queue('查无此人 No such user', { to: ['nobody@psb.hz.gov.cn'] });
      expect(await deliverQueuedEmails(t.app, t.clock.now())).toEqual({ sent: 0, failed: 0, dead: 1 });
      const r = await row(id);
      expect(r).toMatchObject({ status: 'dead', attempts: 1 });
      expect(r.last_error).toMatch(/550.*No such user/);
    } finally {
      sink.refuseRecipients(null);
    }
  });

  it('stops a run at an unreachable server after one try, and leaves the rest due', async () => {
    const first = await queue('不可达一 Unreachable one');
    const second = await queue('不可达二 Unreachable two');
    const closed = await startSmtpSink();
    const url = closed.url;
    await closed.close();
    const unreachable = { ...t.app, config: { ...t.app.config, HUITONG_SMTP_URL: url } };
    const now = t.clock.now();
    expect(await deliverQueuedEmails(unreachable, now)).toEqual({ sent: 0, failed: 1, dead: 0 });
    const tried = await row(first);
    expect(tried).toMatchObject({ status: 'failed', attempts: 1 });
    expect(tried.last_error).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    expect(new Date(tried.next_attempt_at).getTime()).toBe(now.getTime() + (EMAIL_RETRY_DELAYS_MS[0] as number));
    expect(await row(second)).toMatchObject({ status: 'queued', attempts: 0 });
    // The configured server works: the untried one goes now, the failed one when it is due.
    expect(await deliverQueuedEmails(t.app, now)).toEqual({ sent: 1, failed: 0, dead: 0 });
    t.clock.advance(EMAIL_RETRY_DELAYS_MS[0] as number);
    expect(await deliverQueuedEmails(t.app, t.clock.now())).toEqual({ sent: 1, failed: 0, dead: 0 });
  });

  it('sends each email once when several workers run at the same time', async () => {
    const subjects = Array.from({ length: 6 }, (_, i) => `并发 ${i} Concurrent ${i}`);
    for (const subject of subjects) await queue(subject);
    const now = t.clock.now();
    const runs = await Promise.all([deliverQueuedEmails(t.app, now), deliverQueuedEmails(t.app, now), deliverQueuedEmails(t.app, now)]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(subjects.length);
    for (const subject of subjects) expect(received(subject), subject).toHaveLength(1);
  });

  it('leaves emails queued when no SMTP server is configured', async () => {
    const id = await queue('未配置 Not configured');
    const unconfigured = { ...t.app, config: { ...t.app.config, HUITONG_SMTP_URL: undefined } };
    expect(await deliverQueuedEmails(unconfigured, t.clock.now())).toEqual({ sent: 0, failed: 0, dead: 0 });
    expect(await row(id)).toMatchObject({ status: 'queued', attempts: 0 });
    await deliverQueuedEmails(t.app, t.clock.now());
  });
});

describe('emailing a department contact', () => {
  it("queues to the department's current contact of the role, and nothing when there is none", async () => {
    const department = await t.makeDepartment();
    const send = (contactRole: 'leader' | 'sharing_officer' | 'technical_officer', subject: string) =>
      inTransaction(db(), (tx) => emailDepartmentContact(tx, { departmentId: department, contactRole, subject, text: '请于三个工作日内处理。', kind: 'test.contact', link: '/tasks', at: t.clock.now() }));
    const report = async (role: string, name: string, email: string) => {
      const res = await t.call({ method: 'PUT', url: `/api/v1/departments/${department}/contacts/${role}`, cookie: await admin(), body: { name, phone: '0752-2288000', email, effectiveOn: '2026-11-23' } });
      expect(res.statusCode, res.body).toBe(200);
    };

    expect(await send('sharing_officer', '无联系人 No contact')).toBe(false);
    expect(await db().selectFrom('email_outbox').select('id').where('department_id', '=', department).execute()).toEqual([]);

    await report('sharing_officer', '陈晓明', 'chenxm@civil.hz.gov.cn');
    t.clock.advance(60_000);
    await report('sharing_officer', '林若彤', 'linrt@civil.hz.gov.cn'); // the newer report is the current contact
    await report('leader', '黄国栋', 'huanggd@civil.hz.gov.cn');
    expect(await send('sharing_officer', '请共享专员处理 For the sharing officer')).toBe(true);
    expect(await send('technical_officer', '无技术负责人 No technical officer')).toBe(false);

    const rows = await db().selectFrom('email_outbox').selectAll().where('department_id', '=', department).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to_addresses: ['linrt@civil.hz.gov.cn'], contact_role: 'sharing_officer', kind: 'test.contact', link: '/tasks', status: 'queued' });
    await deliverQueuedEmails(t.app, t.clock.now());
    const [m] = received('请共享专员处理 For the sharing officer');
    expect(m?.envelopeTo).toEqual(['linrt@civil.hz.gov.cn']);
    expect(m?.text).toContain('请于三个工作日内处理。');
    expect(m?.text).toContain('https://huitong.example.gov.cn/portal/tasks');
  });
});

describe('GET /api/v1/emails', () => {
  it('lists the outbox for the platform administrator, newest first, filtered and paged, with errors', async () => {
    const dead = (await db().selectFrom('email_outbox').select('id').where('status', '=', 'dead').execute()).map((r) => r.id);
    expect(dead.length).toBeGreaterThanOrEqual(2);
    const res = await t.call({ method: 'GET', url: '/api/v1/emails?status=dead&pageSize=1', cookie: await admin() });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(dead.length);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ status: 'dead', nextAttemptAt: null, lastError: expect.stringMatching(/55\d|45\d/) });
    const page2 = (await t.call({ method: 'GET', url: '/api/v1/emails?status=dead&pageSize=1&page=2', cookie: await admin() })).json();
    expect(page2.items[0].id).not.toBe(body.items[0].id);
    expect(page2.items[0].createdAt <= body.items[0].createdAt).toBe(true);

    const all = (await t.call({ method: 'GET', url: '/api/v1/emails?pageSize=200', cookie: await admin() })).json();
    const sent = all.items.find((e: { subject: string }) => e.subject.startsWith('共享申请待答复'));
    expect(sent).toMatchObject({ status: 'sent', to: ['luojie@psb.hz.gov.cn', 'caizhenyu@psb.hz.gov.cn'], kind: 'sharing.request_submitted', attempts: 1, lastError: null });
    const one = await t.call({ method: 'GET', url: `/api/v1/emails/${sent.id}`, cookie: await admin() });
    expect(one.json()).toMatchObject({ id: sent.id, text: expect.stringContaining('低保资格核查'), html: null });
  });

  it('answers 404 for an unknown email, 422 for a bad filter, 403 to anyone but the platform administrator and 401 to no one', async () => {
    expect((await t.call({ method: 'GET', url: '/api/v1/emails/01900000-0000-7000-8000-000000000000', cookie: await admin() })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: '/api/v1/emails?status=lost', cookie: await admin() })).statusCode).toBe(422);
    const department = await t.makeDepartment();
    const deptAdmin = await t.login(await t.makeUser({ roles: ['dept_admin', 'supervisor', 'authority'], departmentId: department }));
    expect((await t.call({ method: 'GET', url: '/api/v1/emails', cookie: deptAdmin })).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/api/v1/emails' })).statusCode).toBe(401);
  });
});

describe('background delivery', () => {
  it('sends queued emails on its own through an SMTP server that needs a login, and stops on close', async () => {
    const secured = await startSmtpSink({ auth: { user: 'huitong', pass: 'p@ss:word' } });
    const p = await startTestPlatform({ template: 'empty', config: { HUITONG_SMTP_URL: secured.url, HUITONG_MAIL_POLL_SECONDS: '0.1' } });
    try {
      const subject = '后台发送 Sent in the background';
      await inTransaction(p.app.database.db, (tx) => queueEmail(tx, { to: ['officer@psb.hz.gov.cn'], subject, text: '后台投递。', kind: 'test.background', link: '/tasks', at: p.clock.now() }));
      const [m] = await secured.waitForMessages(1);
      expect(m).toMatchObject({ subject, user: 'huitong' });
      // No public address configured: the link stays a path.
      expect(m?.text).toContain('查看详情 View: /tasks');
    } finally {
      await p.close(); // waits for a run in progress before closing the database
      await secured.close();
    }
    expect(secured.messages).toHaveLength(1);
  });
});
