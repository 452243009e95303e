import type { CallContext } from '@trustzone/contracts';
import { DbErrorCode, isDbError, type AppRecord } from '../db';
import { viaDb } from '../errors/db-error.mapper';
import { invalid, notFound } from '../errors/service-errors';
import { callActor } from '../audit/repository-audit';
import { parseId } from '../entities/entity-service';
import type { AppActionDeps } from './app-action-deps';
import { SYSTEM_ACTOR } from '../security/acting-user';

export interface ReloadOutcomeIn {
  appId: string;
  succeeded: boolean;
  fileSize: number;
  error: string;
  durationMs: number;
}

/**
 * The engine reports a finished reload: a success stamps lastReloadTime and fileSize on the app;
 * every outcome is audited with the engine as the service and the reloading user as the user.
 * A concurrent edit of the app is retried, not reported: the engine cannot resolve it.
 */
export async function recordReload(d: AppActionDeps, o: ReloadOutcomeIn, ctx: CallContext): Promise<void> {
  const appId = parseId(o.appId, 'appId');
  if (!Number.isSafeInteger(o.fileSize) || o.fileSize < 0) throw invalid('fileSize', 'must be a non-negative integer');
  if (!Number.isSafeInteger(o.durationMs) || o.durationMs < 0) throw invalid('durationMs', 'must be a non-negative integer');
  await d.cache.load(['App']);
  let current = d.cache.records('App').get(appId);
  if (!current) throw notFound('App');
  if (o.succeeded) {
    let updated: AppRecord | undefined;
    for (let attempt = 0; !updated; attempt++) {
      const base = current;
      try {
        updated = await viaDb(() => d.stores.apps.update(appId, base.modifiedDate, { lastReloadTime: new Date(), fileSize: o.fileSize }, (callActor(ctx).user ?? SYSTEM_ACTOR).slice(0, 256)));
      } catch (e) {
        if (attempt >= 2 || !(e instanceof Error && isDbError(e.cause, DbErrorCode.Conflict))) throw e;
        current = await viaDb(() => d.stores.apps.get(appId));
      }
    }
    d.cache.put('App', updated);
  }
  await d.audit.record({
    actor: callActor(ctx),
    action: 'app.reload',
    outcome: o.succeeded ? 'success' : 'failure',
    target: { type: 'App', id: appId },
    ...(o.error ? { reason: o.error.slice(0, 2000) } : {}),
    details: { durationMs: o.durationMs, fileSize: o.fileSize },
  });
}
