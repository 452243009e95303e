import { CliError, CliErrorCode } from '../cli.error';
import { type Command } from '../command';
import { certsExportCommand } from './certs/certs-export.subcommand';
import { certsRevokeCommand } from './certs/certs-revoke.subcommand';
import { certsRotateCommand } from './certs/certs-rotate.subcommand';
import { certsStatusCommand } from './certs/certs-status.subcommand';

const subcommands: readonly Command[] = [certsStatusCommand, certsRotateCommand, certsRevokeCommand, certsExportCommand];

export const certsCommand: Command = {
  name: 'certs',
  summary: 'inspect, rotate, revoke and export trust-zone certificates',
  usage: subcommands.map((s) => `${s.summary}:\n${s.usage}`).join('\n\n'),
  async run(argv, ctx) {
    const [name, ...rest] = argv;
    const sub = subcommands.find((s) => s.name === name);
    if (!sub) {
      const known = subcommands.map((s) => s.name).join('|');
      throw new CliError(CliErrorCode.Usage, name === undefined ? `tz certs needs a subcommand: ${known}` : `unknown subcommand 'certs ${name}'; expected ${known}`);
    }
    return sub.run(rest, ctx);
  },
};
