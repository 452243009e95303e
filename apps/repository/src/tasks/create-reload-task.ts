import { z } from 'zod';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { callActor } from '../audit/repository-audit';
import type { EntityService } from '../entities/entity-service';
import { compositeEventCreateBody } from '../entities/kinds/composite-event.kind';
import { reloadTaskCreateBody } from '../entities/kinds/reload-task.kind';
import { schemaEventCreateBody, timing } from '../entities/kinds/schema-event.kind';
import type { RepositoryAudit } from '../audit/repository-audit';
import { parseWith } from '../rpc/json-body';
import type { RequestAccess } from '../security/request-access';

const body = z.strictObject({
  task: z.unknown(),
  schemaEvents: z.array(z.unknown()).max(64, 'must have at most 64 items').optional(),
  compositeEvents: z.array(z.unknown()).max(64, 'must have at most 64 items').optional(),
});

/** The events in a create body belong to the new task: naming another one is refused. */
function withoutTask(e: unknown, at: string): Record<string, unknown> {
  const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  if (o['reloadTask'] !== undefined && o['reloadTask'] !== null) throw new ServiceError(ErrorCode.InvalidArgument, `${at}.reloadTask: events created with a task run that task; leave it out`, { field: `${at}.reloadTask` });
  const { reloadTask: _r, ...rest } = o;
  return rest;
}

/**
 * POST /qrs/reloadtask/create (Qlik's shape: `{ task, schemaEvents, compositeEvents }`): the task
 * and its triggers in one call, each under the same rules as its own endpoint. Every body is
 * validated before anything is written; should a trigger still be refused (rights, references),
 * the task is deleted again, so the call leaves all or nothing.
 */
export async function createReloadTask(entities: EntityService, audit: RepositoryAudit, raw: unknown, access: RequestAccess): Promise<string> {
  const b = parseWith(body, raw);
  const schema = (b.schemaEvents ?? []).map((e, i) => withoutTask(e, `body.schemaEvents.${i}`));
  const composite = (b.compositeEvents ?? []).map((e, i) => withoutTask(e, `body.compositeEvents.${i}`));
  parseWith(reloadTaskCreateBody, b.task, 'body.task');
  schema.forEach((e, i) => timing(parseWith(schemaEventCreateBody, e, `body.schemaEvents.${i}`), undefined, `body.schemaEvents.${i}`));
  composite.forEach((e, i) => parseWith(compositeEventCreateBody, e, `body.compositeEvents.${i}`));

  const task = JSON.parse(await entities.create('reloadtask', b.task, false, access)) as { id: string };
  try {
    for (const e of schema) await entities.create('schemaevent', { ...e, reloadTask: { id: task.id } }, false, access);
    for (const e of composite) await entities.create('compositeevent', { ...e, reloadTask: { id: task.id } }, false, access);
  } catch (e) {
    await entities.delete('reloadtask', task.id, access).catch(() => undefined);
    await audit.record({ actor: callActor(access.ctx), action: 'task.create', outcome: 'failure', target: { type: 'ReloadTask', id: task.id }, reason: 'a trigger was refused; the task was removed again' }).catch(() => undefined);
    throw e;
  }
  return entities.get('reloadtask', task.id, false, access);
}
