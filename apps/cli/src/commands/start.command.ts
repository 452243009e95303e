import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SiteSupervisor, waitForHealthy } from '@trustzone/service-host';
import { sitePaths } from '@trustzone/trust';
import { type Command } from '../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../data-dir-option';
import { parseCommandArgs } from '../parse-command-args';
import { initCommand } from './init.command';

/** dist/ of this installation: the CLI bundle lives in dist/apps/cli/. */
function distDir(env: NodeJS.ProcessEnv): string {
  return env['TZ_DIST_DIR'] ?? resolve(__dirname, '..', '..');
}

export const startCommand: Command = {
  name: 'start',
  summary: 'run the whole site: initialise it if needed, start repository, engine and proxy, wait until healthy',
  usage: ['tz start [--data-dir DIR]', `  ${DATA_DIR_USAGE}`, '  ports: TZ_REPOSITORY_PORT, TZ_ENGINE_PORT, TZ_PROXY_PORT, TZ_PROXY_API_PORT'].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs('start', argv, { ...DATA_DIR_OPTION });
    const dataDir = dataDirFrom(values, ctx);
    const paths = sitePaths(dataDir);
    if (!existsSync(paths.siteJson)) {
      ctx.out(`no site in ${dataDir}: creating one`);
      await initCommand.run(['--data-dir', dataDir, '--hosts', 'localhost'], ctx);
    }
    const env: NodeJS.ProcessEnv = { ...ctx.env, TZ_DATA_DIR: dataDir };
    const proxyPort = env['TZ_PROXY_PORT'] ?? '8443';
    const repoPort = env['TZ_REPOSITORY_PORT'] ?? '4242';
    const enginePort = env['TZ_ENGINE_PORT'] ?? '4747';
    env['TZ_REPOSITORY_ADDRESS'] ??= `localhost:${repoPort}`;
    env['TZ_ENGINE_ADDRESS'] ??= `localhost:${enginePort}`;

    const supervisor = new SiteSupervisor({ distDir: distDir(ctx.env), env });
    const stopped = new Promise<number>((resolveExit) => {
      const stop = (code: number) => void supervisor.stop().then(() => resolveExit(code));
      process.once('SIGINT', () => stop(0));
      process.once('SIGTERM', () => stop(0));
      supervisor.on('exit', (name: string, why: string) => {
        ctx.warn(`${why}; stopping the site`);
        stop(1);
      });
    });
    try {
      await supervisor.start((line) => ctx.out(line));
      const url = `https://localhost:${proxyPort}`;
      await waitForHealthy(`${url}/health`, readFileSync(paths.cert('client-facing-ca'), 'utf8'), 30_000);
      ctx.out(`site is up: ${url}/  (proxy API: https://localhost:${env['TZ_PROXY_API_PORT'] ?? '4243'}, mTLS)`);
      ctx.out(`client-facing CA for browsers/curl: ${paths.cert('client-facing-ca')}`);
      ctx.out('press Ctrl-C to stop');
    } catch (e) {
      await supervisor.stop();
      throw e;
    }
    return stopped;
  },
};
