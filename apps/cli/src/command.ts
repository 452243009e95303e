/** What a command may touch: injected so commands run in-process in tests exactly as in `tz`. */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out(line: string): void;
  /** Warnings only; failures are thrown and printed once by the dispatcher. */
  warn(line: string): void;
  commands: readonly Command[];
}

/** One `tz <name>` command. `run` returns the exit code; failures throw. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], ctx: CommandContext): Promise<number>;
}
