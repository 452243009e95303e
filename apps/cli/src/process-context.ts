import { type CommandContext } from './command';
import { commands } from './commands';

/** The real process: stdout for results, stderr for warnings and the one error line. */
export function processContext(): CommandContext {
  return {
    env: process.env,
    cwd: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    warn: (line) => process.stderr.write(`${line}\n`),
    commands,
  };
}
