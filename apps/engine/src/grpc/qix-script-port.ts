import { ErrorCode, ServiceError, type AssertedUser } from '@trustzone/contracts';
import { QixError, QixErrorCode, type ScriptPort } from '../qix';
import type { ReloadService } from '../reload-service/reload-service';
import type { AppScriptService } from '../scripts/app-script-service';

/** Refusals keep one shape for the client (no hint whether a rule or section access said no). */
function qixRefusal(e: unknown): unknown {
  if (!(e instanceof ServiceError)) return e;
  switch (e.code) {
    case ErrorCode.PermissionDenied:
    case ErrorCode.NotFound:
    case ErrorCode.Unauthenticated:
      return new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied', { reason: e.message });
    case ErrorCode.InvalidArgument:
    case ErrorCode.PayloadTooLarge:
      return new QixError(QixErrorCode.INVALID_PARAMETERS, e.publicMessage, { parameter: e.field ?? 'qScript' });
    case ErrorCode.ResourceExhausted:
      return new QixError(QixErrorCode.ABORTED, 'The engine runs as many reloads as it may; try again later', { reason: e.message });
    default:
      return e;
  }
}

export async function relay<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw qixRefusal(e);
  }
}

/**
 * Script and reload for one QIX session's user (hub context): the same gates as /qrs/app/{id}/script
 * (AppScriptService), and the engine's one reload path (the repository's PrepareReload decides
 * Update and the data connections; RecordReload audits the outcome).
 */
export function qixScriptPort(scripts: AppScriptService, reloads: ReloadService, user: AssertedUser): ScriptPort {
  return {
    getScript: (appId) => relay(() => scripts.read(appId, user, 'qix')),
    setScript: (appId, script) => relay(async () => void (await scripts.write(appId, user, script, 'qix'))),
    reload: (appId, onProgress) =>
      relay(async () => {
        await scripts.requireWholeApp(appId, user, 'app.reload', 'qix');
        const report = await reloads.reload(appId, user, {
          queued: (position) => onProgress(`waiting for a reload slot (position ${position})`),
          progress: (table, rows) => onProgress(`${table} << ${rows} Lines fetched`),
          statement: (e) => onProgress(e.kind === 'trace' ? e.text : `${e.line}: ${e.text}`),
        });
        if (report.succeeded) onProgress(`App saved (${report.tables.length} tables, ${report.durationMs} ms)`);
        return report.succeeded ? { succeeded: true } : { succeeded: false, error: { message: report.error?.message ?? 'the reload failed', statement: report.error?.statement ?? '' } };
      }),
  };
}
