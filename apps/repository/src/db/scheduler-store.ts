import type { DbClient } from './db-client';
import { TX_OPTIONS } from './db-client';
import { createExecutionResultStore, type ExecutionResultRecord, type TriggerInput } from './execution-result-store';
import { withDbErrors } from './prisma-error-mapper';

/**
 * The scheduler's one multi-table write: a due time of a schema event fires exactly once. The event's
 * nextExecution moves from `due` to `next` with a compare-and-set in the same transaction that queues
 * the run, so two repositories (or a deposed leader) racing for the same due time cannot both queue
 * it: the loser's compare-and-set matches no row and its transaction writes nothing.
 */
export interface SchedulerStore {
  fireSchemaEvent(eventId: string, due: Date, next: Date | null, run: TriggerInput | null): Promise<{ fired: boolean; execution: ExecutionResultRecord | null }>;
}

export function createSchedulerStore(db: DbClient): SchedulerStore {
  const executions = createExecutionResultStore(db);
  return {
    fireSchemaEvent: (eventId, due, next, run) =>
      withDbErrors('SchemaEvent', 'write', () =>
        db.$transaction(async (tx) => {
          const { count } = await tx.schemaEvent.updateMany({ where: { id: eventId, nextExecution: due }, data: { nextExecution: next, lastExecution: due } });
          if (count !== 1) return { fired: false, execution: null };
          return { fired: true, execution: run ? await executions.trigger(run, tx) : null };
        }, TX_OPTIONS),
      ),
  };
}
