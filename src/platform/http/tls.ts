import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import { issueServerCertificate, openCertificateAuthority } from '../crypto/ca.js';

/** The listener's certificate is issued afresh on every start, so it always names the configured hosts. */
const SERVER_CERTIFICATE_DAYS = 397;

/**
 * HTTPS options when HUITONG_TLS is on: a server certificate from the platform CA (created on
 * first use), and client certificates requested but not required, so people's browsers without
 * one still reach the console. Whether a presented certificate verified is decided per request
 * (`socket.authorized`), where an unverified one is refused with 401. Dated by the machine's
 * clock, not the platform's: browsers and department systems check it against theirs.
 */
export async function httpsOptions(config: Config): Promise<HttpsServerOptions> {
  const now = systemClock.now();
  const ca = await openCertificateAuthority(config.dataDir, now);
  const server = await issueServerCertificate(ca, { hosts: config.HUITONG_TLS_HOSTS, days: SERVER_CERTIFICATE_DAYS, now });
  return { key: server.keyPem, cert: server.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false };
}
