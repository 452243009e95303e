import { readSiteManifest, sitePaths } from '@trustzone/trust';
import { CliError, CliErrorCode } from '../../cli.error';
import { type Command } from '../../command';
import { DATA_DIR_OPTION, DATA_DIR_USAGE, dataDirFrom } from '../../data-dir-option';
import { parseCommandArgs } from '../../parse-command-args';
import { progressLine } from '../../progress-line';
import { proxyApiRequest, readAll } from '../../proxy-api-client';

interface Line {
  type: 'queued' | 'progress' | 'done';
  position?: number;
  table?: string;
  rows?: number;
  status?: 'succeeded' | 'failed';
  tables?: { name: string; rows: number }[];
  durationMs?: number;
  error?: { line: number; column: number; message: string };
}

export const appsReloadCommand: Command = {
  name: 'reload',
  summary: "run an app's load script on the engine, with a progress line",
  usage: [
    "tz apps reload <appId> [--as 'DIR\\user'] [--proxy-api URL] [--data-dir DIR]",
    `  ${DATA_DIR_USAGE}`,
    '  --as DIR\\user     the user the reload runs as (default: the site admin)',
    '  --proxy-api URL   proxy API listener (default https://localhost:$TZ_PROXY_API_PORT, 4243)',
  ].join('\n'),
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('apps', argv, { ...DATA_DIR_OPTION, as: { type: 'string' }, 'proxy-api': { type: 'string' } }, true);
    const appId = positionals[0];
    if (!appId || positionals.length !== 1) throw new CliError(CliErrorCode.Usage, "tz apps reload needs one <appId> (see 'tz help apps')");
    const dataDir = dataDirFrom(values, ctx);
    const user = values.as ?? readSiteManifest(sitePaths(dataDir).siteJson).admin;
    const url = values['proxy-api'] ?? `https://localhost:${ctx.env['TZ_PROXY_API_PORT'] ?? '4243'}`;
    const res = await proxyApiRequest({ dataDir, url, user }, 'POST', `/qrs/app/${encodeURIComponent(appId)}/reload`, { accept: 'application/x-ndjson' });
    if ((res.headers['content-type'] ?? '').includes('application/json')) {
      const body = JSON.parse(await readAll(res)) as { error?: { message?: string } };
      const retry = res.headers['retry-after'] ? ` (retry after ${String(res.headers['retry-after'])} s)` : '';
      throw new CliError(CliErrorCode.Usage, `reload refused (${res.statusCode}): ${body.error?.message ?? 'unknown error'}${retry}`);
    }
    const bar = progressLine(ctx);
    const rows = new Map<string, number>();
    let buffered = '';
    let done: Line | undefined;
    for await (const chunk of res) {
      buffered += String(chunk);
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, nl)) as Line;
        buffered = buffered.slice(nl + 1);
        if (line.type === 'queued') bar.update(`reload of ${appId} queued (position ${line.position ?? '?'})`);
        else if (line.type === 'progress' && line.table) {
          rows.set(line.table, line.rows ?? 0);
          bar.update(`reloading ${appId}: ${[...rows].map(([t, n]) => `${t} ${n.toLocaleString('en')} rows`).join(', ')}`);
        } else if (line.type === 'done') done = line;
      }
    }
    bar.done();
    if (!done) throw new CliError(CliErrorCode.Usage, 'the reload stream ended without a result');
    if (done.status === 'succeeded') {
      ctx.out(`reload succeeded in ${done.durationMs} ms: ${(done.tables ?? []).map((t) => `${t.name} (${t.rows} rows)`).join(', ')}`);
      return 0;
    }
    const e = done.error;
    ctx.out(`reload failed${e && e.line ? ` at line ${e.line}, column ${e.column}` : ''}: ${e?.message ?? 'unknown error'}`);
    return 1;
  },
};
