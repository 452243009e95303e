import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { AppAuthKey, DataKeyStore } from '@trustzone/app-store';
import { tableRowCount, type LoadResult } from '@trustzone/data-model';
import { isConnectionName, ScriptErrorCode } from '@trustzone/load-script';
import { ReloadErrorCode } from './reload.error';
import { ReloadFileHost } from './reload-file-host';
import { parseWorkerMessage, type StartMessage, type StatementProgress, type WorkerLimits } from './reload-protocol';
import { spawnSandboxed, type SandboxedProcess, type SandboxExit } from './sandbox-launcher';

export interface ReloadConnection {
  /** The DataConnection name used in `lib://<name>/…`. */
  name: string;
  /** Absolute directory on the engine's data volume (the caller checked the user may read it). */
  dir: string;
  /** STORE may write here: the repository found Update for the user and the app owner. */
  writable?: boolean;
}

/** What the engine needs to carry out the worker's file requests (STORE, encrypted QVDs). */
export interface ReloadFileOptions {
  keyStore?: DataKeyStore;
  /** The site's app authentication key: sealing and opening encrypted QVDs need it. */
  authKey?: AppAuthKey;
  /** Folder for write locks shared with `tz apps rekey` (the apps folder). */
  lockDir: string;
  /** Default 1,000 files and 4 GiB per reload. */
  maxWrites?: number;
  maxWrittenBytes?: number;
  onWritten?: (w: { connection: string; path: string; bytes: number; sealed: boolean }) => void;
}

/** Same default as the worker's (reload-worker.ts): both sides bound a file alike. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface RunReloadOptions {
  /** Absolute path of dist/apps/engine/reload-worker.cjs. */
  workerPath: string;
  script: string;
  /** The granted connections the script uses (reload-service.ts passes no others). */
  connections: readonly ReloadConnection[];
  /**
   * Granted connections the script uses whose folder this engine cannot use (outside the data
   * volume); the script fails at the LOAD that reads one, naming it. Connections whose folder is
   * missing or not a folder join this list here.
   */
  unavailable?: readonly string[];
  timeoutMs: number;
  maxOldSpaceMb: number;
  /** Scheduling priority (nice, 0–19) of the worker; above 0 it yields the CPU to QIX sessions. */
  nice?: number;
  /** Script bounds (libs/load-script ScriptLimits) and the per-file byte limit. */
  limits?: WorkerLimits;
  onProgress?: (progress: { table: string; rows: number }) => void;
  /** Each statement as it starts, and each TRACE message. */
  onStatement?: (statement: StatementProgress) => void;
  signal?: AbortSignal;
  /** Without it STORE fails and encrypted files cannot be opened. */
  files?: ReloadFileOptions;
}

export interface ReloadFailure {
  line?: number;
  column?: number;
  /** Safe to show to the app owner. */
  message: string;
  code: ScriptErrorCode | ReloadErrorCode;
  /** The statement that failed (safe to show, like `message`). */
  statement?: string;
  /** For the engine log only (e.g. worker stderr); never send to clients. */
  detail?: string;
}

export type ReloadOutcome =
  | { ok: true; result: LoadResult; tables: { name: string; rows: number }[]; durationMs: number }
  | { ok: false; error: ReloadFailure };

const SCRIPT_CODES = new Set<string>(Object.values(ScriptErrorCode));

/**
 * Runs a load script in the sandboxed worker and returns its result. It never writes app data:
 * the caller stores the result atomically, so a failed reload leaves the previous data in place.
 */
export async function runReload(options: RunReloadOptions): Promise<ReloadOutcome> {
  const started = Date.now();
  const prepared = prepare(options);
  if ('error' in prepared) return { ok: false, error: { message: prepared.error, code: ReloadErrorCode.BadRequest } };
  let child: SandboxedProcess;
  try {
    child = spawnSandboxed(prepared.workerPath, { readPaths: prepared.connections.map((c) => c.dir) },
      { timeoutMs: options.timeoutMs, maxOldSpaceMb: options.maxOldSpaceMb, ...(options.nice ? { nice: options.nice } : {}) }, options.signal);
  } catch (e) {
    return { ok: false, error: { message: e instanceof Error ? e.message : 'invalid sandbox settings', code: ReloadErrorCode.BadRequest } };
  }

  const maxFileBytes = options.limits?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files = options.files;
  const host = files ? new ReloadFileHost({
    connections: prepared.connections, unavailable: prepared.unavailable, lockDir: files.lockDir, maxFileBytes,
    maxWrites: files.maxWrites ?? 1000, maxWrittenBytes: files.maxWrittenBytes ?? 4 * 1024 ** 3,
    ...(files.keyStore ? { keyStore: files.keyStore } : {}), ...(files.authKey ? { authKey: files.authKey } : {}), ...(files.onWritten ? { onWritten: files.onWritten } : {}),
  }) : null;
  // The first terminal message wins; anything after it is ignored.
  const state: { outcome: ReloadOutcome | null; running: StatementProgress | null } = { outcome: null, running: null };
  child.onMessage((raw) => {
    if (state.outcome) return;
    const msg = parseWorkerMessage(raw, maxFileBytes);
    if (typeof msg === 'string') {
      state.outcome = { ok: false, error: { message: 'reload worker sent an invalid message', code: ReloadErrorCode.Protocol, detail: msg } };
    } else if (msg.type === 'file-request') {
      if (!host) child.send({ type: 'file-reply', id: msg.id, ok: false, message: 'this engine does not write or decrypt files for reloads' });
      else void host.handle(msg).then((reply) => state.outcome === null && child.send(reply));
      return;
    } else if (msg.type === 'progress') {
      options.onProgress?.({ table: msg.table, rows: msg.rows });
      return;
    } else if (msg.type === 'statement') {
      const event: StatementProgress = { kind: msg.kind, line: msg.line, column: msg.column, text: msg.text };
      if (event.kind === 'statement') state.running = event;
      options.onStatement?.(event);
      return;
    } else if (msg.type === 'result') {
      const tables = msg.result.tables.map((t) => ({ name: t.name, rows: tableRowCount(t) }));
      state.outcome = { ok: true, result: msg.result, tables, durationMs: 0 };
    } else {
      const code = SCRIPT_CODES.has(msg.error.code) ? (msg.error.code as ScriptErrorCode) : ReloadErrorCode.WorkerCrashed;
      state.outcome = { ok: false, error: { ...msg.error, code } };
    }
    child.kill(); // the worker has nothing left to do; do not wait on it
  });
  const start: StartMessage = { type: 'start', script: options.script, connections: prepared.connections, unavailable: prepared.unavailable, limits: options.limits ?? {} };
  child.send(start);
  const exit = await child.exit;
  const final = state.outcome;
  if (final !== null) return final.ok ? { ...final, durationMs: Date.now() - started } : final;
  // Killed at a limit (or crashed): the statement that was running is where the author should look.
  const running = state.running;
  const where = running ? { line: running.line, column: running.column, statement: running.text } : {};
  return { ok: false, error: { ...exitFailure(exit, options, child.stderr()), ...where } };
}

function exitFailure(exit: SandboxExit, options: RunReloadOptions, stderr: string): ReloadFailure {
  const detail = stderr.trim() === '' ? undefined : stderr;
  switch (exit.kind) {
    case 'timeout':
      return { message: `time limit exceeded (${options.timeoutMs} ms)`, code: ReloadErrorCode.TimeLimit };
    case 'memory':
      return { message: `memory limit exceeded (${options.maxOldSpaceMb} MB)`, code: ReloadErrorCode.MemoryLimit, ...(detail ? { detail } : {}) };
    case 'aborted':
      return { message: 'reload aborted', code: ReloadErrorCode.Aborted };
    case 'spawn-failed':
      return { message: 'reload worker could not be started', code: ReloadErrorCode.WorkerCrashed, detail: exit.message };
    case 'exited':
      return {
        message: 'reload worker exited unexpectedly',
        code: ReloadErrorCode.WorkerCrashed,
        detail: `code=${exit.code} signal=${exit.signal}${detail ? `\n${detail}` : ''}`,
      };
  }
}

/**
 * Resolves every granted directory to its realpath so the grant and the worker's checks agree. A
 * folder that is missing or not a folder does not fail the reload here: it becomes unavailable,
 * and only a LOAD that reads it fails (at its line, naming the connection).
 */
function prepare(options: RunReloadOptions): { workerPath: string; connections: StartMessage['connections']; unavailable: string[] } | { error: string } {
  if (!isAbsolute(options.workerPath)) return { error: 'workerPath must be absolute' };
  let workerPath: string;
  try {
    workerPath = realpathSync(options.workerPath);
  } catch {
    return { error: 'reload worker bundle not found (run node tools/build.mjs)' };
  }
  const names = new Set<string>();
  const connections: StartMessage['connections'] = [];
  const unavailable: string[] = [];
  for (const name of options.unavailable ?? []) {
    if (names.has(name)) return { error: `data connection "${name}" is listed twice` };
    names.add(name);
    if (!isConnectionName(name)) return { error: `invalid data connection name "${name}"` };
    unavailable.push(name);
  }
  for (const c of options.connections) {
    if (names.has(c.name)) return { error: `data connection "${c.name}" is listed twice` };
    names.add(c.name);
    if (!isConnectionName(c.name)) return { error: `invalid data connection name "${c.name}"` };
    if (!isAbsolute(c.dir)) return { error: `data connection "${c.name}" directory must be absolute` };
    const dir = directoryOf(c.dir);
    if (dir === null) unavailable.push(c.name);
    else connections.push({ name: c.name, dir, writable: c.writable === true });
  }
  return { workerPath, connections, unavailable };
}

function directoryOf(path: string): string | null {
  try {
    const dir = realpathSync(path);
    return statSync(dir).isDirectory() ? dir : null;
  } catch {
    return null;
  }
}
