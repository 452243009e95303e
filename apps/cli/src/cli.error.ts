export enum CliErrorCode {
  Usage = 'USAGE',
  UnknownCommand = 'UNKNOWN_COMMAND',
  HookFailed = 'HOOK_FAILED',
}

/** A failure the CLI reports as its one `tz: <message>` line; messages are written for operators. */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
