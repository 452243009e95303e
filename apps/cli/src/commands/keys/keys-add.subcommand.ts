import { readFileSync } from 'node:fs';
import { openKeyStore } from '@trustzone/app-store';
import { sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { recordOperatorEvent } from '../../operator-audit';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(CliErrorCode.Usage, `${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export const keysAddCommand: Command = {
  name: 'add',
  summary: 'add an app encryption key pair to the key store (it becomes the key new apps are encrypted with)',
  usage: ['tz keys add <cert.pem> <key.pem> [--inactive] [--data-dir DIR]', `  ${DATA_DIR_USAGE}`, '  --inactive   keep reading files under this key, but do not encrypt new files with it'].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('keys', argv, { ...DATA_DIR_OPTION, inactive: { type: 'boolean' } }, true);
    const [certFile, keyFile] = positionals;
    if (!certFile || !keyFile || positionals.length !== 2) throw new CliError(CliErrorCode.Usage, "tz keys add needs <cert.pem> <key.pem> (see 'tz help keys')");
    const dataDir = dataDirFrom(values, ctx);
    const store = await openKeyStore(sitePaths(dataDir).keys, { watch: false });
    try {
      const info = await store.addKey(readPem(certFile, 'certificate'), readPem(keyFile, 'private key'), { inactive: values.inactive === true });
      await recordOperatorEvent(ctx, dataDir, { action: 'key.add', outcome: 'success', target: { type: 'EncryptionKey', id: info.thumbprint }, details: { active: info.active, subject: info.subject } });
      ctx.out(`added key ${info.thumbprint} (${info.subject})${info.active ? ', now active: new app files are encrypted with it' : ' (inactive)'}`);
      ctx.out('running engines pick the change up within seconds; re-wrap existing apps with: tz apps rekey --to ' + info.thumbprint);
    } finally {
      store.close();
    }
    return 0;
  },
};
