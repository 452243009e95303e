import { randomBytes } from 'node:crypto';
import type { CallContext } from '@trustzone/contracts';
import { identityKey, type RepositoryStores } from '../db';
import { callActor, type RepositoryAudit } from '../audit/repository-audit';
import type { EntityService } from '../entities/entity-service';
import { executionResultKind } from '../entities/kinds/execution-result.kind';
import { reloadTaskKind } from '../entities/kinds/reload-task.kind';
import { viaDb } from '../errors/db-error.mapper';
import { notFound } from '../errors/service-errors';
import type { RequestAccess } from '../security/request-access';

export interface ScriptLogDeps {
  stores: RepositoryStores;
  audit: RepositoryAudit;
  entities: EntityService;
  ticketMs: number;
}

const SAME_ANSWER = 'script log (the link is unknown, used or expired)';

/**
 * GET /qrs/reloadtask/{id}/scriptlog?fileReferenceId={result id}: a single-use, expiring link to one
 * run's log, for the caller only. Reading needs Read on the task and on the execution result.
 */
export async function scriptLogLink(d: ScriptLogDeps, req: { taskId: string; fileReferenceId: string }, access: RequestAccess): Promise<string> {
  const task = (await d.entities.readable(reloadTaskKind, req.taskId, access)).record;
  const result = (await d.entities.readable(executionResultKind, req.fileReferenceId, access)).record;
  if (result.task.id !== task.id) throw notFound('ExecutionResult');
  const ticket = randomBytes(16).toString('hex');
  const user = access.actor.asserted;
  await viaDb(() => d.stores.downloadTickets.create({ id: ticket, kind: 'scriptlog', targetId: result.id, exportToken: '', identityKey: identityKey(user.userDirectory, user.userId), skipData: false, expiresAt: new Date(Date.now() + d.ticketMs) }));
  return JSON.stringify(ticket);
}

/** GET /qrs/download/reloadtask/{ticket}/{file}: the log text; a used, expired or foreign link reads as missing. */
export async function downloadScriptLog(d: ScriptLogDeps, req: { ticket: string }, ctx: CallContext): Promise<{ fileName: string; text: string }> {
  const user = ctx.user;
  if (!user) throw notFound(SAME_ANSWER);
  const t = await viaDb(() => d.stores.downloadTickets.claim(req.ticket, 'scriptlog', identityKey(user.userDirectory, user.userId), new Date()));
  if (!t) throw notFound(SAME_ANSWER);
  const text = await viaDb(() => d.stores.executionResults.scriptLog(t.targetId));
  await d.audit.record({ actor: callActor(ctx), action: 'task.scriptlog', outcome: 'success', target: { type: 'ExecutionResult', id: t.targetId } });
  return { fileName: `reload-${t.targetId}.log`, text };
}
