import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, CliErrorCode } from './cli.error';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node's parseArgs in strict mode, with its long multi-sentence errors turned into one short line
 * that points at the command's help.
 */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const option = /option '([^']+)'/.exec(message)?.[1];
    const why = message.startsWith('Unknown option')
      ? `unknown option ${option ?? ''}`
      : message.includes('argument missing')
        ? `option ${option ?? ''} needs a value`
        : message.includes('Unexpected argument')
          ? `unexpected argument ${/argument '([^']+)'/.exec(message)?.[1] ?? ''}`
          : (message.split('\n')[0] ?? message);
    throw new CliError(CliErrorCode.Usage, `${why.trim()} (see 'tz help ${command}')`);
  }
}

/** A positive whole number of days, or a usage error naming the option. */
export function parseDays(command: string, option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 36_500) throw new CliError(CliErrorCode.Usage, `--${option} must be a whole number of days (1-36500), got '${value}' (see 'tz help ${command}')`);
  return n;
}
