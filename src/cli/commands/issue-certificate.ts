import fs from 'node:fs';
import path from 'node:path';
import { CERTIFICATE_MAX_DAYS, certificatesService } from '../../domains/clients/index.js';
import type { AppContext } from '../../platform/http/index.js';
import { type CliIo, type CommandRun, CliFailure, cliCtx, EXIT, parseCommandArgs, required, UsageError } from '../command.js';
import { withPlatform } from '../open-platform.js';
import { resolveDepartment } from './create-user.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The files written, and their modes: the private key is for its owner only. */
const FILES = [
  ['key.pem', 0o600],
  ['cert.pem', 0o644],
  ['ca.pem', 0o644],
] as const;

/** What `ca issue` was asked to do, checked. */
export type IssueFilesOptions = { department: string; clientId: string; days: number | undefined; out: string };

/** `huitong ca issue`: issues a client certificate to an API client and writes key.pem, cert.pem and ca.pem. */
export const run: CommandRun = async ({ config, args, io }) => {
  const { values } = parseCommandArgs(args, {
    department: { type: 'string' },
    client: { type: 'string' },
    days: { type: 'string' },
    out: { type: 'string' },
  });
  const department = required(values.department, 'department');
  const clientId = required(values.client, 'client');
  if (!UUID.test(clientId)) throw new UsageError('--client: expected the API client id (a UUID) / 须为 API 客户端 ID');
  let days: number | undefined;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > CERTIFICATE_MAX_DAYS) {
      throw new UsageError(`--days: expected a whole number from 1 to ${CERTIFICATE_MAX_DAYS} / 有效天数须为 1–${CERTIFICATE_MAX_DAYS} 的整数`);
    }
  }
  const options: IssueFilesOptions = { department, clientId: clientId.toLowerCase(), days, out: path.resolve(values.out ?? '.') };
  refuseExistingFiles(options.out);
  return withPlatform(config, (app) => issueCertificateFiles(app, io, options));
};

/** Issues the certificate (recorded and audited like one issued over the API) and writes its files. */
export async function issueCertificateFiles(app: AppContext, io: CliIo, opts: IssueFilesOptions): Promise<number> {
  const ctx = cliCtx(app, 'ca issue');
  const department = await resolveDepartment(ctx, opts.department);
  refuseExistingFiles(opts.out);
  const issued = await certificatesService.issueCertificate(ctx, {
    clientId: opts.clientId,
    days: opts.days,
    // Asked for as a check: a typo in the client id must not give another department's client a certificate.
    departmentId: department.id,
  });
  fs.mkdirSync(opts.out, { recursive: true });
  const contents = { 'key.pem': issued.keyPem, 'cert.pem': issued.certPem, 'ca.pem': issued.caPem };
  for (const [name, mode] of FILES) fs.writeFileSync(path.join(opts.out, name), contents[name], { mode, flag: 'wx' });
  const c = issued.certificate;
  io.out(`issued certificate ${c.serial} to API client ${opts.clientId} of ${department.name} / 客户端证书已签发`);
  io.out(`  valid ${c.notBefore} – ${c.notAfter}, SHA-256 ${c.fingerprintSha256}`);
  io.out(`  written to ${opts.out}: key.pem (the only copy of the private key / 私钥仅此一份), cert.pem, ca.pem`);
  return EXIT.ok;
}

/** Fails before anything is issued when an output file exists: a key is never overwritten. */
function refuseExistingFiles(out: string): void {
  for (const [name] of FILES) {
    const file = path.join(out, name);
    if (fs.existsSync(file)) throw new CliFailure(`${file} exists; choose another --out / 文件已存在，请换一个 --out 目录`);
  }
}
