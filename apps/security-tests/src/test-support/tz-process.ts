import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunningSite } from '@trustzone/site-harness';

/** The bundle vitest's global setup builds before every run (tools/build.mjs). */
const TZ_BUNDLE = resolve(__dirname, '../../../../dist/apps/cli/tz.cjs');

export interface TzResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `tz …` as an operator runs it next to a running site: the bundled CLI in its own process, with the
 * site's environment (data dir, repository port for the operator audit records). Asynchronous, so
 * the test keeps probing the site while a command waits (e.g. a rotation's grace period).
 */
export function runTz(site: RunningSite, args: readonly string[], timeoutMs = 120_000): Promise<TzResult> {
  return new Promise((done) => {
    execFile(process.execPath, [TZ_BUNDLE, ...args], { env: site.env, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
