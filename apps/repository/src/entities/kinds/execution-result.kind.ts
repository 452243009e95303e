import type { ExecutionResultRecord } from '../../db';
import { invalid } from '../../errors/service-errors';
import { executionResultJson } from '../../tasks/task-json';
import { executionResultSnapshot } from '../../tasks/task-snapshots';
import type { EntityKind } from '../entity-kind';

const SCHEDULER_ONLY = 'execution results are written by the scheduler; they can be read and deleted';

/** Read-only for clients (QRS_READ_ONLY_TYPES): the scheduler writes them through its own store. */
export const executionResultKind: EntityKind<ExecutionResultRecord> = {
  type: 'executionresult',
  resourceType: 'ExecutionResult',
  needs: ['ExecutionResult', 'ReloadTask', 'App', 'User', 'Stream', 'CustomPropertyDefinition'],
  condensed: ['id', 'executingNodeName', 'status', 'startTime', 'stopTime', 'duration', 'fileReferenceID', 'scriptLogAvailable', 'details', 'scriptLogLocation', 'scriptLogSize'],
  snapshot: (cache, r) => executionResultSnapshot(cache, r),
  json: (_cache, r) => executionResultJson(r),
  planCreate() {
    throw invalid('type', SCHEDULER_ONLY);
  },
  planUpdate() {
    throw invalid('body', SCHEDULER_ONLY);
  },
  guardWrite(_current, op) {
    if (op === 'update') throw invalid('body', SCHEDULER_ONLY);
  },
  remove: (stores, id) => stores.executionResults.delete(id),
};
