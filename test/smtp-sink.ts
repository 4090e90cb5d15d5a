import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted: the SMTP envelope, the raw message and its decoded parts. */
export type SinkMessage = {
  /** MAIL FROM of the envelope. */
  envelopeFrom: string;
  /** RCPT TO of the envelope. */
  envelopeTo: string[];
  /** The user the client signed in as, if it did. */
  user: string | undefined;
  raw: string;
  /** Header names lower-cased, values unfolded and RFC 2047-decoded. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string | undefined;
};

/** A refusal the sink answers RCPT TO with, e.g. `{ code: 451, message: 'try later' }`. */
export type SinkRefusal = { code: number; message: string };

/** A local SMTP server for tests: collects what it accepts, refuses on demand. */
export type SmtpSink = {
  /** `smtp://[user:pass@]127.0.0.1:<port>` for HUITONG_SMTP_URL. */
  url: string;
  messages: SinkMessage[];
  /** Refuses every recipient with this reply until called with null. */
  refuseRecipients(refusal: SinkRefusal | null): void;
  /** Resolves once `count` messages have arrived in total; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
};

/**
 * Starts an SMTP sink on 127.0.0.1 at a free port, in plain SMTP (no STARTTLS). With `auth`, it
 * accepts only that user and password and puts them in `url`.
 */
export async function startSmtpSink(opts: { auth?: { user: string; pass: string } } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: Array<() => void> = [];
  let refusal: SinkRefusal | null = null;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({ ...parseMessage(raw), raw, envelopeFrom, envelopeTo: session.envelope.rcptTo.map((r) => r.address), user: session.user as string | undefined });
        for (const w of waiters.splice(0)) w();
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const credentials = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@` : '';
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    refuseRecipients(r) {
      refusal = r;
    },
    waitForMessages(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the SMTP sink got ${messages.length} of ${count} messages`)), timeoutMs);
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Splits a message into unfolded headers and body, and decodes its text and HTML parts. */
export function parseMessage(raw: string): Pick<SinkMessage, 'headers' | 'subject' | 'text' | 'html'> {
  const part = parsePart(raw);
  let text = '';
  let html: string | undefined;
  const visit = (p: Part) => {
    const type = (p.headers['content-type'] ?? 'text/plain').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(p.headers['content-type'] ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary) {
      const pieces = p.body.split(`--${boundary}`).slice(1);
      for (const piece of pieces) {
        if (piece.startsWith('--')) break;
        visit(parsePart(piece.replace(/^\r?\n/, '')));
      }
    } else if (type.startsWith('text/html')) html = decodeBody(p);
    else if (type.startsWith('text/plain')) text = decodeBody(p);
  };
  visit(part);
  return { headers: part.headers, subject: part.headers.subject ?? '', text, html };
}

type Part = { headers: Record<string, string>; rawHeaders: Record<string, string>; body: string };

function parsePart(raw: string): Part {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  const rawHeaders: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    rawHeaders[name] = value;
    headers[name] = decodeWords(value);
  }
  return { headers, rawHeaders, body };
}

/** RFC 2047 encoded words (B and Q), adjacent ones joined before decoding so split characters survive. */
function decodeWords(value: string): string {
  return value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)(\s+=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g, (run) => {
    const bytes = [...run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)].map(([, , enc, data = '']) =>
      enc?.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' ')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

/** A part's body decoded to a string, with the wire's CRLF line ends turned into \n as mail readers show them. */
function decodeBody(p: Part): string {
  const encoding = (p.rawHeaders['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const body = p.body.replace(/\r?\n$/, '');
  let decoded = body;
  if (encoding === 'base64') decoded = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') decoded = qpBytes(body.replace(/=\r?\n/g, '')).toString('utf8');
  return decoded.replace(/\r\n/g, '\n');
}

function qpBytes(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else out.push(...Buffer.from(s[i] as string, 'utf8'));
  }
  return Buffer.from(out);
}
