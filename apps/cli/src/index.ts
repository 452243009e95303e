export { runCli } from './cli';
export { CliError, CliErrorCode } from './cli.error';
export type { Command, CommandContext } from './command';
export { commands } from './commands';
export { initHooks, type InitHook, type InitHookSite } from './commands/init-hooks';
