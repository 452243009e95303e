import { assertViewOf } from '@trustzone/data-model';
import { DocContext } from './doc-context';
import { type MethodArgs, invalid } from './method-args';
import type { SessionCore } from './method-table';
import { emitAudit, reportInternal } from './qix-audit';
import { isQixError, QixError, QixErrorCode } from './qix.error';
import type { QixAuditEvent, QixUser } from './qix-session.types';

export const OPEN_DOC_PARAMS = ['qDocName', 'qUserName', 'qPassword', 'qSerial', 'qNoData'] as const;

export interface ObjectRef {
  qType: string;
  qHandle: number;
  qGenericId: string;
  qGenericType?: string;
}

/**
 * Global.OpenDoc: the second gate. The lead's `openApp` asks the repository whether the user may
 * open the app and applies section access; whatever it decides is audited with its reason, and the
 * client gets a fixed message (the reason may name rules or reduction fields). qUserName may only
 * name the authenticated user: the QIX session never acts for anyone else.
 */
export async function openDoc(core: SessionCore, args: MethodArgs): Promise<ObjectRef> {
  const appId = args.string(0, 256);
  const userName = args.optionalString(1, 512);
  args.optionalString(2, 10_000);
  args.optionalString(3, 10_000);
  args.boolean(4, false);
  if (appId.trim() === '') throw invalid('qDocName', 'qDocName must name an app');
  if (core.doc !== null || core.opening) throw new QixError(QixErrorCode.APP_ALREADY_OPEN, 'App already open');
  const user = core.deps.user;
  const audit = (outcome: QixAuditEvent['outcome'], code?: number, reason?: string) => emitAudit(core, { action: 'OpenDoc', outcome, appId, user, ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) });
  if (userName !== undefined && userName !== '' && !namesUser(userName, user)) {
    await audit('denied', QixErrorCode.ACCESS_DENIED, 'qUserName names another user');
    throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied');
  }
  core.opening = true;
  try {
    const app = await withTimeout(core.deps.openApp(appId), core.limits.openAppTimeoutMs);
    const stored = core.deps.variables ? await core.deps.variables.list(appId) : [];
    const objects = core.deps.objects ? await core.deps.objects.list(appId) : [];
    if (core.closed) throw new QixError(QixErrorCode.ABORTED, 'Session closed');
    assertViewOf(app.model, app.view);
    const handle = core.handles.add({ type: 'Doc' });
    const shared = core.deps.selectionCell?.(app);
    core.releaseCell = shared?.release ?? null;
    core.doc = new DocContext(app, handle, shared?.cell, shared?.changed);
    core.doc.setStoredVariables(stored);
    core.doc.setStoredObjects(objects);
    core.objectWatch = core.deps.objectWatch?.(appId) ?? null;
    await audit('granted');
    return { qType: 'Doc', qHandle: handle, qGenericId: appId };
  } catch (err) {
    if (!isQixError(err)) {
      reportInternal(core, err, 'OpenDoc');
      await audit('failed', QixErrorCode.INTERNAL_ERROR, 'the app could not be opened');
      throw new QixError(QixErrorCode.INTERNAL_ERROR, 'Internal error');
    }
    const reason = err.reason ?? err.message;
    switch (err.code) {
      case QixErrorCode.ACCESS_DENIED:
        await audit('denied', err.code, reason);
        throw new QixError(QixErrorCode.ACCESS_DENIED, 'Access denied');
      case QixErrorCode.APP_NOT_FOUND:
        await audit('failed', err.code, reason);
        // Message and parameter are client-visible by contract (a load refusal names the app and
        // the kind of failure); the reason stays in the audit record.
        throw new QixError(QixErrorCode.APP_NOT_FOUND, err.message, { parameter: err.parameter });
      default:
        await audit('failed', err.code, reason);
        throw err;
    }
  } finally {
    core.opening = false;
  }
}

/** `DIR\user` (case-insensitive, as the proxy's identities are). */
function namesUser(name: string, user: QixUser): boolean {
  return name.trim().toUpperCase() === `${user.userDirectory}\\${user.userId}`.toUpperCase();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QixError(QixErrorCode.ABORTED, 'Opening the app timed out', { reason: `openApp took longer than ${ms} ms` })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
