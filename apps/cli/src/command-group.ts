import { CliError, CliErrorCode } from './cli.error';
import { type Command } from './command';

/** `tz <group> <sub> …`: dispatch to a subcommand; a missing or unknown one is a usage error listing the known ones. */
export function commandGroup(name: string, summary: string, subcommands: readonly Command[]): Command {
  return {
    name,
    summary,
    usage: subcommands.map((s) => `${s.summary}:\n${s.usage}`).join('\n\n'),
    async run(argv, ctx) {
      const [subName, ...rest] = argv;
      const sub = subcommands.find((s) => s.name === subName);
      if (!sub) {
        const known = subcommands.map((s) => s.name).join('|');
        throw new CliError(CliErrorCode.Usage, subName === undefined ? `tz ${name} needs a subcommand: ${known}` : `unknown subcommand '${name} ${subName}'; expected ${known}`);
      }
      return sub.run(rest, ctx);
    },
  };
}
