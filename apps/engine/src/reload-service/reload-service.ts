import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { AssertedUser, RepositoryDefinition, TrustZoneClient } from '@trustzone/contracts';
import { buildDataModel, isDataModelError } from '@trustzone/data-model';
import { validateSecurityTable } from '@trustzone/section-access';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';
import { runReload, type ReloadConnection } from '../reload';

export interface ReloadServiceOptions {
  repository: TrustZoneClient<RepositoryDefinition>;
  library: AppLibrary;
  logger: Logger;
  workerPath: string;
  dataConnectionsDir: string;
  timeoutMs: number;
  maxOldSpaceMb: number;
  deadlineMs: number;
}

export interface ReloadReport {
  succeeded: boolean;
  tables: { name: string; rows: number }[];
  durationMs: number;
  error?: { line: number; column: number; message: string; code: string };
}

/**
 * A reload end to end: the repository decides (Update on the app, Read on each data connection for
 * this user) and hands over the script; the sandbox runs it; the result becomes a data model that is
 * validated (composite keys, security table) and only then replaces the app file atomically. Any
 * failure leaves the previous data untouched.
 */
export class ReloadService {
  constructor(private readonly o: ReloadServiceOptions) {}

  /** `taskExecutionId`: the scheduler's task run this reload is (the repository authorises by it). */
  async reload(appId: string, user: AssertedUser, onProgress: (table: string, rows: number) => void, signal?: AbortSignal, taskExecutionId = ''): Promise<ReloadReport> {
    const started = Date.now();
    const plan = await this.o.repository.unary('PrepareReload', { type: 'app', id: appId, privileges: false, taskExecutionId }, { deadlineMs: this.o.deadlineMs, user });
    const connections = plan.connections.map((c) => this.grant(c.name, c.path));
    const outcome = await runReload({
      workerPath: this.o.workerPath,
      script: plan.script,
      connections,
      timeoutMs: this.o.timeoutMs,
      maxOldSpaceMb: this.o.maxOldSpaceMb,
      onProgress: (p) => onProgress(p.table, p.rows),
      ...(signal ? { signal } : {}),
    });
    let report: ReloadReport;
    let fileSize = 0;
    if (!outcome.ok) {
      if (outcome.error.detail) this.o.logger.warn('reload failed', { appId, code: outcome.error.code, detail: outcome.error.detail });
      report = this.failed(started, outcome.error.message, outcome.error.code, outcome.error.line, outcome.error.column);
    } else {
      try {
        const model = buildDataModel(outcome.result);
        if (model.securityTable) validateSecurityTable(model, model.securityTable);
        fileSize = (await this.o.library.save(appId, model)).bytes;
        report = { succeeded: true, tables: outcome.tables, durationMs: Date.now() - started };
      } catch (e) {
        const code = isDataModelError(e) ? e.code : e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'RELOAD_MODEL';
        this.o.logger.warn('reload result refused', { appId, code, error: e instanceof Error ? e.message : String(e) });
        report = this.failed(started, e instanceof Error ? e.message : 'the loaded data could not be stored', code);
      }
    }
    await this.o.repository.unary('RecordReload', {
      appId,
      succeeded: report.succeeded,
      fileSize,
      error: report.error?.message ?? '',
      durationMs: report.durationMs,
    }, { deadlineMs: this.o.deadlineMs, user });
    return report;
  }

  /** A connection's folder, resolved on this engine's data volume; anything escaping it is refused. */
  private grant(name: string, path: string): ReloadConnection {
    const root = resolve(this.o.dataConnectionsDir);
    const dir = resolve(root, path);
    const rel = relative(root, dir);
    if (isAbsolute(path) || rel.startsWith('..') || rel.split(sep).includes('..')) throw new Error(`data connection ${name} points outside the data volume`);
    return { name, dir };
  }

  private failed(started: number, message: string, code: string, line = 0, column = 0): ReloadReport {
    return { succeeded: false, tables: [], durationMs: Date.now() - started, error: { line, column, message, code } };
  }
}
