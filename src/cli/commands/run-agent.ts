import fs from 'node:fs';
import { AgentConfigError, AgentLockedError, createAgentLogger, parseAgentConfig, runAgent } from '../../agent/agent.js';
import { CliFailure, type CommandRun, EXIT, parseCommandArgs, required } from '../command.js';

/**
 * `huitong agent --config agent.json [--once]`: the front-end processor (前置机). Without --once it
 * runs until SIGTERM or SIGINT, which let the batch in hand finish and its checkpoint be written;
 * a second signal exits at once (safe too: a batch sent again carries the same Idempotency-Key).
 * A bad configuration file exits 2 with every problem listed.
 */
export const run: CommandRun = async ({ config, args, io }) => {
  const { values } = parseCommandArgs(args, { config: { type: 'string' }, once: { type: 'boolean' } });
  const file = required(values.config, 'config');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliFailure(`cannot read the agent configuration 无法读取前置机配置 ${file}: ${e.code === 'ENOENT' ? 'no such file 文件不存在' : e.message}`, EXIT.usage);
  }
  let agentConfig: ReturnType<typeof parseAgentConfig>;
  try {
    agentConfig = parseAgentConfig(raw, { file, envSecret: config.HUITONG_AGENT_SECRET });
  } catch (err) {
    if (err instanceof AgentConfigError) throw new CliFailure(err.message, EXIT.usage);
    throw err;
  }

  const log = createAgentLogger({ level: config.LOG_LEVEL });
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn({ event: 'agent_killed', signal }, 'second signal: exiting now 再次收到信号，立即退出');
      process.exit(130);
    }
    log.info({ event: 'agent_stopping', signal }, 'finishing the batch in hand, then exiting 完成当前批次后退出');
    controller.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    return await runAgent({ config: agentConfig, log, once: values.once === true, stop: controller.signal });
  } catch (err) {
    if (err instanceof AgentLockedError) {
      io.err(err.message);
      return EXIT.failed;
    }
    throw err;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
};
