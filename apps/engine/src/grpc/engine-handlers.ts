import { AppStoreError, AppStoreErrorCode, type AppStore } from '@trustzone/app-store';
import { bidi, callers, ErrorCode, serverStream, ServiceError, unary, type EngineHandlers, type GuardedHandlers, type RepositoryDefinition, type TrustZoneClient } from '@trustzone/contracts';
import type { Logger } from '@trustzone/logging';
import type { AppLibrary } from '../apps/app-library';
import type { ReloadService } from '../reload-service/reload-service';
import type { AppScriptService } from '../scripts/app-script-service';
import type { QixStreamHandler } from './qix-stream';
import type { ExchangeDeps } from '../exchange/exchange-deps';
import { exchangeHandlers } from './exchange-handlers';
import { previewHandler } from './section-access-preview';
import { changeAppObjectState } from './app-object-state';

export interface EngineHandlerDeps {
  library: AppLibrary;
  store: AppStore;
  reloads: ReloadService;
  repository: TrustZoneClient<RepositoryDefinition>;
  logger: Logger;
  deadlineMs: number;
  qix: QixStreamHandler;
  exchange: ExchangeDeps;
  scripts: AppScriptService;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const proxyOnly = callers.services('proxy');
/** Reloads come from users through the proxy, and from the repository's scheduler (tasks, as INTERNAL\sa_scheduler). */
const proxyOrScheduler = callers.services('proxy', 'repository');

function appId(id: string, field = 'appId'): string {
  if (!GUID.test(id)) throw new ServiceError(ErrorCode.InvalidArgument, `${field} must be a lower-case GUID`, { field });
  return id;
}

/** Only the proxy talks to the engine, always for an end user it authenticated (trust-zone.md). */
export function engineHandlers(d: EngineHandlerDeps): GuardedHandlers<EngineHandlers> {
  const authorize = async (id: string, action: string, user: NonNullable<Parameters<TrustZoneClient<RepositoryDefinition>['unary']>[2]['user']>) => {
    const r = await d.repository.unary('Authorize', { resourceType: 'App', resourceId: id, action }, { deadlineMs: d.deadlineMs, user });
    if (!r.allowed) throw new ServiceError(ErrorCode.NotFound, 'no such app');
  };
  return {
    Qix: bidi({ callers: proxyOnly, user: 'required' }, (call, ctx) => d.qix(call, ctx)),

    Reload: serverStream({ callers: proxyOrScheduler, user: 'required', asserters: proxyOrScheduler }, async (req, ctx, emit) => {
      const id = appId(req.appId);
      const fromScheduler = ctx.caller.kind === 'service' && ctx.caller.service === 'repository';
      // A task run id means something only from the scheduler; the repository checks it again.
      if (fromScheduler !== (req.taskExecutionId !== '')) throw new ServiceError(ErrorCode.PermissionDenied, fromScheduler ? 'the scheduler reloads only for a task run' : 'only the scheduler names a task run');
      const task = fromScheduler ? appId(req.taskExecutionId, 'taskExecutionId') : undefined;
      const report = await d.reloads.reload(id, ctx.user!, {
        queued: (position) => emit({ queued: { position } }),
        progress: (name, rows) => emit({ progress: { name, rows } }),
        statement: (e) => emit({ statement: { line: e.line, column: e.column, text: e.text, trace: e.kind === 'trace' } }),
      }, ctx.signal, task);
      emit({ done: { succeeded: report.succeeded, tables: report.tables, durationMs: report.durationMs, ...(report.error ? { error: report.error } : {}) } });
    }),

    // Data follows the repository: the proxy calls CopyAppData after the repository accepted the copy
    // (or the replace). The load script, which lives in the file, follows only when the caller may
    // read it (Update on the source, and not reduced by its section access); otherwise the target
    // keeps its own (none, for a new copy).
    CopyAppData: unary({ callers: proxyOnly, user: 'required' }, async (req, ctx) => {
      const from = appId(req.fromAppId, 'fromAppId');
      const to = appId(req.toAppId, 'toAppId');
      await authorize(from, 'read', ctx.user!);
      await authorize(to, 'update', ctx.user!);
      const source = await d.library.document(from);
      if (source === null) return {}; // never reloaded and no script: nothing to copy
      const withScript = await d.scripts.authorize(from, ctx.user!, 'qrs', false).then(() => true, (e: unknown) => {
        if (e instanceof ServiceError && (e.code === ErrorCode.PermissionDenied || e.code === ErrorCode.NotFound)) return false;
        throw e;
      });
      await d.library.updateDocument(to, (target) => ({ model: source.model, script: withScript ? source.script : (target?.script ?? '') }));
      return {};
    }),

    GetAppScript: unary({ callers: proxyOnly, user: 'required' }, async (req, ctx) => {
      const id = appId(req.appId);
      return { appId: id, script: await d.scripts.read(id, ctx.user!, 'qrs') };
    }),

    SetAppScript: unary({ callers: proxyOnly, user: 'required' }, async (req, ctx) => {
      const id = appId(req.appId);
      return { json: await d.scripts.write(id, ctx.user!, req.script, 'qrs') };
    }),

    ChangeAppObjectState: unary({ callers: proxyOnly, user: 'required' }, async (req, ctx) => ({ json: await changeAppObjectState(d, req, ctx.user!) })),

    // Asked like every other engine RPC: may this user delete the app? The proxy calls it before the
    // repository's DeleteEntity, while the app still exists to be asked about (qrs-executor.ts).
    DeleteAppData: unary({ callers: proxyOnly, user: 'required' }, async (req, ctx) => {
      const id = appId(req.appId);
      await authorize(id, 'delete', ctx.user!);
      d.library.forget(id);
      await d.store.remove(id).catch((e: unknown) => {
        if (!(e instanceof AppStoreError && e.code === AppStoreErrorCode.NotFound)) throw e;
      });
      return {};
    }),

    ...exchangeHandlers(d.exchange),

    PreviewSectionAccess: unary({ callers: proxyOnly, user: 'required' }, previewHandler(d)),

    AppDataInfo: unary({ callers: proxyOnly, user: 'required' }, async (req, ctx) => {
      const id = appId(req.appId);
      await authorize(id, 'read', ctx.user!);
      try {
        const info = await d.store.inspect(id);
        return { exists: true, fileSize: info.fileBytes, encrypted: info.mode === 'encrypted', keyThumbprint: info.thumbprint ?? '' };
      } catch (e) {
        if (e instanceof AppStoreError && e.code === AppStoreErrorCode.NotFound) return { exists: false, fileSize: 0, encrypted: false, keyThumbprint: '' };
        throw e;
      }
    }),
  };
}
