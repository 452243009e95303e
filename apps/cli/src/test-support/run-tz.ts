import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/** The bundle vitest's global setup builds before every run (tools/build.mjs). */
export const TZ_BUNDLE = resolve(__dirname, '../../../../dist/apps/cli/tz.cjs');

export interface TzRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time as seen from the parent, including node's start-up. */
  ms: number;
  /** User + system CPU of the child (all its threads), when asked for. */
  cpuMs?: number;
}

/**
 * Runs the same bundle under a one-line preamble that records the child's CPU time at exit:
 * unlike wall time, it does not grow when other jobs load the machine, so it can guard cost in a
 * test without flaking.
 */
function cpuWrapper(): string {
  return [
    "const fs = require('node:fs');",
    "process.on('exit', () => { const u = process.cpuUsage(); fs.writeFileSync(process.env.TZ_TEST_CPU_FILE, String((u.user + u.system) / 1000)); });",
    `process.argv = [process.argv[0], ${JSON.stringify(TZ_BUNDLE)}, ...process.argv.slice(1)];`,
    `require(${JSON.stringify(TZ_BUNDLE)});`,
  ].join('\n');
}

/** Runs `node dist/apps/cli/tz.cjs …` as a user would, without inheriting TZ_DATA_DIR by accident. */
export function runTz(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; measureCpu?: boolean } = {}): TzRun {
  const { TZ_DATA_DIR: _ignored, ...env } = process.env;
  const cpuFile = options.measureCpu ? join(mkdtempSync(join(tmpdir(), 'tz-cpu-')), 'cpu') : undefined;
  const argv = cpuFile ? ['-e', cpuWrapper(), '--', ...args] : [TZ_BUNDLE, ...args];
  const started = Date.now();
  const r = spawnSync(process.execPath, argv, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...env, ...options.env, ...(cpuFile ? { TZ_TEST_CPU_FILE: cpuFile } : {}) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ms = Date.now() - started;
  const cpuMs = cpuFile ? Number(readFileSync(cpuFile, 'utf8')) : undefined;
  if (cpuFile) rmSync(join(cpuFile, '..'), { recursive: true, force: true });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms, ...(cpuMs !== undefined ? { cpuMs } : {}) };
}

/** path → "mode sha256" of everything under `root`, to prove a refused command changed nothing. */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isDirectory()) {
        out.set(`${relative(root, path)}/`, mode);
        walk(path);
      } else out.set(relative(root, path), `${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(root);
  return out;
}
