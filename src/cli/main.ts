// The `huitong` program: bin/huitong.mjs and `npm run cli` start here. The commands live in cli.ts,
// which tests import without running anything.
import { EXIT } from './command.js';
import { runCli } from './cli.js';

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (err) {
  console.error(err);
  process.exitCode = EXIT.failed;
}
