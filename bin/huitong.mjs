#!/usr/bin/env node
// The `huitong` command (`npx huitong …`): runs the TypeScript CLI in this process through tsx,
// which is a runtime dependency, so there is no build step and the exit code is the CLI's own.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
