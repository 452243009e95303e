import { z } from 'zod';
import type { DbClient, DbExecutor, Prisma } from './db-client';
import type { EntityMeta, ListOptions, NamedRef } from './entity-types';
import { boundedList, dbText, guid, LIMITS, parseId, parseInput } from './field-schemas';
import { parseJsonText, toJsonText } from './json-text';
import { listArgs } from './list-options';
import { withDbErrors } from './prisma-error-mapper';
import { namedRefSelect } from './ref-selects';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'ExecutionResult';

/** Qlik's TaskExecutionStatus values the scheduler uses (the QRS reference lists all 13). */
export const TaskStatus = {
  NeverStarted: 0,
  Triggered: 1,
  Started: 2,
  Queued: 3,
  Aborted: 6,
  FinishedSuccess: 7,
  FinishedFail: 8,
  Skipped: 9,
  Error: 11,
} as const;
export const FINAL_STATUSES: readonly number[] = [TaskStatus.Aborted, TaskStatus.FinishedSuccess, TaskStatus.FinishedFail, TaskStatus.Skipped, TaskStatus.Error];

export interface ExecutionDetail {
  /** 0 error, 1 warning, 2 information (Qlik's detailsType). */
  detailsType: number;
  message: string;
  detailCreatedDate: string;
}

/** One attempt of one task run; the script log is read separately (it can be large). */
export interface ExecutionResultRecord extends EntityMeta {
  task: NamedRef;
  executionId: string;
  appId: string;
  attempt: number;
  status: number;
  trigger: string;
  executingNodeName: string;
  claimToken: number;
  startTime: Date | null;
  stopTime: Date | null;
  notBefore: Date;
  duration: number;
  details: ExecutionDetail[];
  scriptLogSize: number;
}

/** A script log is bounded (the tail is kept): the database holds it, every repository reads it. */
export const MAX_SCRIPT_LOG_CHARS = 256 * 1024;
const detailList = boundedList(z.object({ detailsType: z.number().int(), message: z.string().max(4096), detailCreatedDate: z.string().max(64) }), 200);

const triggerSchema = z.strictObject({
  id: guid.optional(),
  taskId: guid,
  appId: guid,
  executionId: guid,
  attempt: z.number().int().min(1).max(100),
  trigger: dbText(LIMITS.shortText, 1),
  notBefore: z.date(),
  modifiedByUserName: dbText(LIMITS.shortText, 1),
});
export type TriggerInput = z.input<typeof triggerSchema>;

export interface FinishInput {
  status: number;
  stopTime: Date;
  details: ExecutionDetail[];
  scriptLog: string;
}

const select = {
  id: true, createdDate: true, modifiedDate: true, modifiedByUserName: true, executionId: true, appId: true, attempt: true, status: true, trigger: true,
  executingNodeName: true, claimToken: true, startTime: true, stopTime: true, notBefore: true, duration: true, details: true, scriptLogSize: true, task: namedRefSelect,
} satisfies Prisma.ExecutionResultSelect;
type Row = Prisma.ExecutionResultGetPayload<{ select: typeof select }>;

function toRecord(row: Row): ExecutionResultRecord {
  return { ...row, details: parseJsonText(detailList, row.details, E, 'details') };
}

export interface ExecutionResultStore {
  get(id: string): Promise<ExecutionResultRecord>;
  find(id: string): Promise<ExecutionResultRecord | null>;
  list(options?: ListOptions): Promise<ExecutionResultRecord[]>;
  count(): Promise<number>;
  delete(id: string): Promise<void>;
  scriptLog(id: string): Promise<string>;
  /** A new attempt in status Triggered (inside the caller's transaction when given one). */
  trigger(input: TriggerInput, tx?: DbExecutor): Promise<ExecutionResultRecord>;
  /** Triggered or Queued attempts whose notBefore has passed, oldest first. */
  claimable(now: Date, take: number): Promise<ExecutionResultRecord[]>;
  /** Compare-and-set to Started under the lease token; false when another scheduler got it first. */
  claim(id: string, from: number, token: number, node: string, now: Date): Promise<boolean>;
  /** Back to Queued until `notBefore` (the engine's queue was full); false when the token is stale. */
  requeue(id: string, token: number, notBefore: Date, detail: ExecutionDetail): Promise<boolean>;
  /** Final status, log and details; false when the token is stale (a newer leader took over). */
  finish(id: string, token: number, f: FinishInput): Promise<boolean>;
  /** Takes back a run nobody started (Triggered → Skipped); false when a scheduler got it first. */
  withdraw(id: string): Promise<boolean>;
  /** Attempts left Started/Queued by a scheduler whose lease is gone: marked Error under `token`. */
  abandonStale(token: number, now: Date, detail: ExecutionDetail): Promise<ExecutionResultRecord[]>;
  /** The last finished attempt of a task since `since` (composite events), or null. */
  lastFinished(taskId: string, since: Date): Promise<ExecutionResultRecord | null>;
  /** Whether a run of the task is waiting or running (a trigger while one runs is skipped, as in Qlik). */
  active(taskId: string): Promise<boolean>;
}

export function createExecutionResultStore(db: DbClient): ExecutionResultStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.executionResult.findUnique({ where: { id: key }, select }));
    return row ? toRecord(row) : null;
  };
  const guarded = async (fn: () => Promise<{ count: number }>) => (await withDbErrors(E, 'write', fn)).count === 1;
  return {
    get: (id) => getOrThrow(E, id, find),
    find,
    async list(options) {
      return (await read(E, () => db.executionResult.findMany({ ...listArgs(options, E), select }))).map((r) => toRecord(r));
    },
    count: () => read(E, () => db.executionResult.count()),
    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.executionResult.deleteMany({ where: { id: key } }));
    },
    async scriptLog(id) {
      const key = parseId(id, E);
      const row = await read(E, () => db.executionResult.findUnique({ where: { id: key }, select: { scriptLog: true } }));
      return row?.scriptLog ?? '';
    },
    async trigger(input, tx) {
      const d = parseInput(triggerSchema, input, E);
      const now = new Date();
      const row = await withDbErrors(E, 'write', () => (tx ?? db).executionResult.create({
        data: { ...d, status: 1, createdDate: now, modifiedDate: now },
        select,
      }));
      return toRecord(row);
    },
    async claimable(now, take) {
      const rows = await read(E, () => db.executionResult.findMany({
        where: { status: { in: [1, 3] }, notBefore: { lte: now } },
        orderBy: [{ notBefore: 'asc' }, { createdDate: 'asc' }, { id: 'asc' }],
        take,
        select,
      }));
      return rows.map((r) => toRecord(r));
    },
    claim: (id, from, token, node, now) =>
      guarded(() => db.executionResult.updateMany({ where: { id, status: from }, data: { status: 2, claimToken: token, executingNodeName: node.slice(0, 256), startTime: now, modifiedDate: now } })),
    async requeue(id, token, notBefore, detail) {
      const row = await read(E, () => db.executionResult.findUnique({ where: { id }, select: { details: true } }));
      const details = [...(row ? parseJsonText(detailList, row.details, E, 'details') : []), detail].slice(-200);
      return guarded(() => db.executionResult.updateMany({ where: { id, status: 2, claimToken: token }, data: { status: 3, notBefore, modifiedDate: new Date(), details: toJsonText(details) } }));
    },
    async finish(id, token, f) {
      const row = await read(E, () => db.executionResult.findUnique({ where: { id }, select: { startTime: true, details: true } }));
      const started = row?.startTime?.getTime() ?? f.stopTime.getTime();
      const details = [...(row ? parseJsonText(detailList, row.details, E, 'details') : []), ...f.details].slice(-200);
      const scriptLog = f.scriptLog.length > MAX_SCRIPT_LOG_CHARS ? f.scriptLog.slice(-MAX_SCRIPT_LOG_CHARS) : f.scriptLog;
      return guarded(() => db.executionResult.updateMany({
        where: { id, status: 2, claimToken: token },
        data: { status: f.status, stopTime: f.stopTime, duration: Math.max(0, f.stopTime.getTime() - started), details: toJsonText(details), scriptLog, scriptLogSize: scriptLog.length, modifiedDate: new Date() },
      }));
    },
    withdraw: (id) => guarded(() => db.executionResult.updateMany({
      where: { id, status: 1 },
      data: { status: 9, stopTime: new Date(), modifiedDate: new Date(), details: toJsonText([{ detailsType: 1, message: 'no scheduler started the run in time; it was withdrawn', detailCreatedDate: new Date().toISOString() }]) },
    })),
    async abandonStale(token, now, detail) {
      const rows = await read(E, () => db.executionResult.findMany({ where: { status: { in: [2, 3] }, claimToken: { not: token } }, select }));
      const abandoned: ExecutionResultRecord[] = [];
      for (const r of rows) {
        const details = toJsonText([...parseJsonText(detailList, r.details, E, 'details'), detail].slice(-200));
        const ok = await guarded(() => db.executionResult.updateMany({ where: { id: r.id, status: r.status, claimToken: r.claimToken }, data: { status: 11, claimToken: token, stopTime: now, modifiedDate: now, details } }));
        if (ok) abandoned.push(toRecord({ ...r, status: 11, stopTime: now }));
      }
      return abandoned;
    },
    async lastFinished(taskId, since) {
      const row = await read(E, () => db.executionResult.findFirst({
        where: { taskId, status: { in: [7, 8] }, stopTime: { gte: since } },
        orderBy: [{ stopTime: 'desc' }, { id: 'desc' }],
        select,
      }));
      return row ? toRecord(row) : null;
    },
    async active(taskId) {
      return (await read(E, () => db.executionResult.count({ where: { taskId, status: { in: [1, 2, 3] } } }))) > 0;
    },
  };
}
