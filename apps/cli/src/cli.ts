import { isTrustError } from '@trustzone/trust';
import { CliError, CliErrorCode } from './cli.error';
import { type CommandContext } from './command';

/**
 * Dispatches `tz <command> ...`. Every failure, expected or not, becomes exactly one line
 * `tz: <message>` and exit code 1: no stack traces (they leak paths and internals and bury the
 * message an operator needs).
 */
export async function runCli(argv: string[], ctx: CommandContext, printError: (line: string) => void): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) throw new CliError(CliErrorCode.Usage, "no command given; see 'tz help'");
    const wanted = name === '--help' || name === '-h' ? 'help' : name === '--version' || name === '-V' ? 'version' : name;
    const command = ctx.commands.find((c) => c.name === wanted);
    if (!command) throw new CliError(CliErrorCode.UnknownCommand, `unknown command '${name}'; see 'tz help'`);
    return await command.run(rest, ctx);
  } catch (e) {
    printError(`tz: ${oneLine(messageOf(e))}`);
    return 1;
  }
}

function messageOf(e: unknown): string {
  if (e instanceof CliError || isTrustError(e)) return e.message;
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

function oneLine(message: string): string {
  return message.replace(/[\r\n]+/g, ' ').trim() || 'failed';
}
