import fs from 'node:fs';
import path from 'node:path';
import { caDirectory, openCertificateAuthority } from '../../platform/crypto/ca.js';
import { type CommandRun, EXIT, parseCommandArgs } from '../command.js';

/**
 * `huitong ca init`: creates the platform CA in `<data dir>/ca/` unless it exists, and shows it.
 * Optional: the server and `ca issue` create it on first use. No database is opened.
 */
export const run: CommandRun = async ({ config, args, io }) => {
  parseCommandArgs(args, {});
  const dir = caDirectory(config.dataDir);
  const existed = fs.existsSync(path.join(dir, 'ca-cert.pem'));
  const ca = await openCertificateAuthority(config.dataDir, new Date());
  io.out(existed ? `the platform CA exists in ${dir} / 平台 CA 已存在` : `created the platform CA in ${dir} / 已创建平台 CA`);
  io.out(`  ${ca.certificate.subject}, valid ${ca.certificate.notBefore.toISOString()} – ${ca.certificate.notAfter.toISOString()}`);
  io.out(`  SHA-256 ${ca.fingerprintSha256}; ca-key.pem is its private key: keep it and back it up apart from the data / 私钥请单独妥善保管`);
  io.out(ca.certPem.trim());
  return EXIT.ok;
};
