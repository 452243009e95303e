import { spawn, spawnSync } from 'node:child_process';
import { SiteTestError, SiteTestErrorCode } from '../site-tests.error';

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const MAX_OUTPUT = 1024 * 1024;

/** Runs a host command to completion (bounded in time and output); throws with its stderr on failure. */
export function must(cmd: string, args: readonly string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: options.timeoutMs ?? 30_000, maxBuffer: MAX_OUTPUT, ...(options.input !== undefined ? { input: options.input } : {}), ...(options.env ? { env: options.env } : {}) });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().slice(0, 500)}`;
    throw new SiteTestError(SiteTestErrorCode.NetworkSetup, `${cmd} ${args.join(' ')} failed: ${why}`);
  }
  return r.stdout;
}

/** Like `must`, but reports the failure instead of throwing (cleanup and probes). */
export function attempt(cmd: string, args: readonly string[], timeoutMs = 30_000): CommandResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: MAX_OUTPUT });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? '', stderr: r.error ? r.error.message : (r.stderr ?? '') };
}

/** Runs a command without blocking the event loop (the services under test keep answering meanwhile). */
export function runAsync(cmd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 30_000, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => void (stdout.length < MAX_OUTPUT && (stdout += c)));
    child.stderr.setEncoding('utf8').on('data', (c: string) => void (stderr.length < MAX_OUTPUT && (stderr += c)));
    child.on('error', (e) => resolve({ status: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ status: code, stdout, stderr }));
  });
}
