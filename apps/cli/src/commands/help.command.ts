import { CliError, CliErrorCode } from '../cli.error';
import { type Command } from '../command';
import { parseCommandArgs } from '../parse-command-args';

export const helpCommand: Command = {
  name: 'help',
  summary: 'list commands, or show one command in detail',
  usage: 'tz help [command]',
  async run(argv, ctx) {
    const { positionals } = parseCommandArgs('help', argv, {}, true);
    const [name] = positionals;
    if (name !== undefined) {
      const command = ctx.commands.find((c) => c.name === name);
      if (!command) throw new CliError(CliErrorCode.UnknownCommand, `unknown command '${name}'; see 'tz help'`);
      ctx.out(`${command.summary}\n\n${command.usage}`);
      return 0;
    }
    const width = Math.max(...ctx.commands.map((c) => c.name.length));
    ctx.out('usage: tz <command> [options]\n');
    for (const c of ctx.commands) ctx.out(`  ${c.name.padEnd(width)}  ${c.summary}`);
    ctx.out("\nrun 'tz help <command>' for its options");
    return 0;
  },
};
