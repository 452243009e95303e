import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isUntrustworthyFile } from '@trustzone/app-store';
import { ErrorCode, isOutOfSpace, ServiceError, storageFull, type AssertedUser, type RepositoryDefinition, type TrustZoneClient } from '@trustzone/contracts';
import { buildDataModel, isDataModelError } from '@trustzone/data-model';
import { usedConnections } from '@trustzone/load-script';
import { validateSecurityTable } from '@trustzone/section-access';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';
import { runReload, type ReloadConnection, type ReloadFileOptions, type StatementProgress } from '../reload';
import type { ReloadAdmission } from './reload-admission';

export interface ReloadServiceOptions {
  repository: TrustZoneClient<RepositoryDefinition>;
  library: AppLibrary;
  logger: Logger;
  workerPath: string;
  dataConnectionsDir: string;
  timeoutMs: number;
  maxOldSpaceMb: number;
  /** Scheduling priority (nice) of reload processes. */
  nice: number;
  deadlineMs: number;
  admission: ReloadAdmission;
  /** Keys and lock folder for STORE and encrypted QVDs; without it STORE fails. */
  files?: Omit<ReloadFileOptions, 'onWritten'>;
}

/** What a running reload tells its caller. */
export interface ReloadEvents {
  /** Waiting for a slot (1 = next); again whenever the position changes. */
  queued(position: number): void;
  progress(table: string, rows: number): void;
  /** Each statement (or TRACE) as it starts. */
  statement(event: StatementProgress): void;
}

export interface ReloadReport {
  succeeded: boolean;
  tables: { name: string; rows: number }[];
  durationMs: number;
  error?: { line: number; column: number; message: string; code: string; statement: string };
}

/**
 * A reload end to end: the repository decides (Update on the app, Read on each data connection for
 * this user); the script comes from the app file; the reload waits for a slot of the engine (admission, so
 * an unauthorized request never holds one); the sandbox runs it; the result becomes a data model
 * that is validated (composite keys, security table) and only then replaces the app file
 * atomically. Any failure leaves the previous data untouched.
 */
export class ReloadService {
  constructor(private readonly o: ReloadServiceOptions) {}

  /** `taskExecutionId`: the scheduler's task run this reload is (the repository authorises by it). */
  async reload(appId: string, user: AssertedUser, events: ReloadEvents, signal?: AbortSignal, taskExecutionId = ''): Promise<ReloadReport> {
    const plan = await this.o.repository.unary('PrepareReload', { type: 'app', id: appId, privileges: false, taskExecutionId }, { deadlineMs: this.o.deadlineMs, user });
    const release = await this.o.admission.admit(`${user.userDirectory}\\${user.userId}`.toUpperCase(), events.queued, signal);
    try {
      // The script is read from the app file (encrypted with the app) once the repository said yes.
      const script = await this.o.library.script(appId).catch((e: unknown) => {
        if (!isUntrustworthyFile(e)) throw e;
        this.o.logger.warn('reload refused: the app file failed its checks', { appId, error: e instanceof Error ? e.message : String(e) });
        throw new ServiceError(ErrorCode.FailedPrecondition, 'the app file failed its integrity checks, so its load script cannot be read: set the script again (PUT /qrs/app/{id}/script or SetScript) or restore the app from a backup');
      });
      return await this.run(appId, user, { script, connections: plan.connections }, events, signal);
    } finally {
      release();
    }
  }

  private async run(appId: string, user: AssertedUser, plan: { script: string; connections: { name: string; path: string; writable: boolean }[] }, events: ReloadEvents, signal?: AbortSignal): Promise<ReloadReport> {
    const started = Date.now();
    const { connections, unavailable } = this.grants(plan.script, plan.connections);
    const outcome = await runReload({
      workerPath: this.o.workerPath,
      script: plan.script,
      connections,
      unavailable,
      timeoutMs: this.o.timeoutMs,
      maxOldSpaceMb: this.o.maxOldSpaceMb,
      nice: this.o.nice,
      onProgress: (p) => events.progress(p.table, p.rows),
      onStatement: (e) => events.statement(e),
      ...(signal ? { signal } : {}),
      ...(this.o.files ? { files: { ...this.o.files, onWritten: (w) => this.o.logger.info('reload stored a file', { appId, connection: w.connection, path: w.path, bytes: w.bytes, encrypted: w.sealed }) } } : {}),
    });
    let report: ReloadReport;
    let fileSize = 0;
    let refusal: ServiceError | undefined;
    if (!outcome.ok) {
      if (outcome.error.detail) this.o.logger.warn('reload failed', { appId, code: outcome.error.code, detail: outcome.error.detail });
      report = this.failed(started, outcome.error.message, outcome.error.code, outcome.error.line, outcome.error.column, outcome.error.statement);
    } else {
      try {
        const model = buildDataModel(outcome.result);
        if (model.securityTable) validateSecurityTable(model, model.securityTable);
        fileSize = (await this.o.library.save(appId, model)).bytes;
        report = { succeeded: true, tables: outcome.tables, durationMs: Date.now() - started };
      } catch (e) {
        // A full data volume is the operator's problem, not the script's: the previous app file is
        // intact (atomic save), the run is recorded as failed, and the caller gets STORAGE_FULL (507).
        if (isOutOfSpace(e)) refusal = storageFull('engine', e);
        const code = isDataModelError(e) ? e.code : e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'RELOAD_MODEL';
        this.o.logger.warn('reload result refused', { appId, code, error: e instanceof Error ? e.message : String(e) });
        report = refusal ? this.failed(started, refusal.message, ErrorCode.StorageFull) : this.failed(started, e instanceof Error ? e.message : 'the loaded data could not be stored', code);
      }
    }
    await this.o.repository.unary('RecordReload', {
      appId,
      succeeded: report.succeeded,
      fileSize,
      error: report.error?.message ?? '',
      durationMs: report.durationMs,
    }, { deadlineMs: this.o.deadlineMs, user });
    if (refusal) throw refusal;
    return report;
  }

  /**
   * The granted connections the script uses, as folders on this engine's data volume. Connections
   * the script does not name are left out (least privilege for the sandbox, and a broken one cannot
   * fail a reload that never reads it); one escaping the data volume is unavailable, so the LOAD
   * reading it fails naming it.
   */
  private grants(script: string, granted: readonly { name: string; path: string; writable: boolean }[]): { connections: ReloadConnection[]; unavailable: string[] } {
    const used = new Set(usedConnections(script));
    const root = resolve(this.o.dataConnectionsDir);
    const connections: ReloadConnection[] = [];
    const unavailable: string[] = [];
    for (const { name, path, writable } of granted) {
      if (!used.has(name)) continue;
      const dir = resolve(root, path);
      const rel = relative(root, dir);
      if (isAbsolute(path) || rel.startsWith('..') || rel.split(sep).includes('..')) {
        this.o.logger.warn('data connection points outside the data volume', { connection: name });
        unavailable.push(name);
      } else connections.push({ name, dir, writable: writable === true });
    }
    return { connections, unavailable };
  }

  private failed(started: number, message: string, code: string, line = 0, column = 0, statement = ''): ReloadReport {
    return { succeeded: false, tables: [], durationMs: Date.now() - started, error: { line, column, message, code, statement } };
  }
}
