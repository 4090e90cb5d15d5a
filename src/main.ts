import { createPlatform } from './app.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { DataDirLockedError } from './platform/db/datadir-lock.js';

/** Starts the server: API, web UI and background work in one process. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  const platform = await createPlatform({ config });
  if (platform.demo?.seeded) {
    console.log('\n汇通 Huitong — demo city loaded. Sign in with (password for all):', config.HUITONG_DEMO_PASSWORD);
    for (const u of platform.demo.users) console.log(`  ${u.username.padEnd(12)} ${u.role.padEnd(18)} ${u.department}`);
    console.log('');
  }
  await platform.server.listen({ port: config.PORT, host: config.HOST });
  const address = `${config.HUITONG_TLS ? 'https' : 'http'}://localhost:${config.PORT}`;
  console.log(`Huitong is ready at ${address} (database: ${platform.app.database.kind}, ${Date.now() - started} ms)`);
  const stop = async (signal: string) => {
    platform.app.log.info({ signal }, 'shutting down');
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

void main().catch((err) => {
  // Another process has the embedded database open: say who, without a stack trace.
  console.error(err instanceof DataDirLockedError ? err.message : err);
  process.exit(1);
});
