import type { LoadResult } from '@trustzone/data-model';
import type { ScriptLimits } from '@trustzone/load-script';
import { validateLoadResult } from './load-result.validator';

/** IPC between the engine (parent) and the sandboxed reload worker. */
export type WorkerLimits = Partial<ScriptLimits> & { maxFileBytes?: number };

export interface StartMessage {
  type: 'start';
  script: string;
  connections: { name: string; dir: string }[];
  /** Connections granted but unusable on this engine: a LOAD reading one fails naming it. */
  unavailable: string[];
  limits: WorkerLimits;
}

export interface WorkerFailure {
  line?: number;
  column?: number;
  message: string;
  code: string;
}

export type WorkerMessage =
  | { type: 'progress'; table: string; rows: number }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; error: WorkerFailure };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Worker side: the one message it accepts. */
export function parseStartMessage(raw: unknown): StartMessage | string {
  if (!isObj(raw) || raw['type'] !== 'start') return 'expected a start message';
  const { script, connections, unavailable, limits } = raw;
  if (typeof script !== 'string') return 'start.script must be a string';
  if (!Array.isArray(connections) || !connections.every((c) => isObj(c) && typeof c['name'] === 'string' && typeof c['dir'] === 'string')) {
    return 'start.connections must be [{name, dir}]';
  }
  if (!Array.isArray(unavailable) || !unavailable.every((n) => typeof n === 'string')) return 'start.unavailable must be a list of names';
  if (!isObj(limits) || !Object.values(limits).every(isPosInt)) return 'start.limits must map names to integers';
  return { type: 'start', script, connections: connections as StartMessage['connections'], unavailable: unavailable as string[], limits: limits as WorkerLimits };
}

/** Parent side: anything malformed from the worker is a protocol error, never trusted. */
export function parseWorkerMessage(raw: unknown): WorkerMessage | string {
  if (!isObj(raw)) return 'worker message is not an object';
  switch (raw['type']) {
    case 'progress':
      if (typeof raw['table'] !== 'string' || !isPosInt(raw['rows'])) return 'malformed progress message';
      return { type: 'progress', table: raw['table'].slice(0, 256), rows: raw['rows'] };
    case 'result': {
      const result = validateLoadResult(raw['result']);
      return typeof result === 'string' ? `malformed result: ${result}` : { type: 'result', result };
    }
    case 'error': {
      const e = raw['error'];
      if (!isObj(e) || typeof e['message'] !== 'string' || typeof e['code'] !== 'string') return 'malformed error message';
      const failure: WorkerFailure = { message: e['message'].slice(0, 2000), code: e['code'].slice(0, 64) };
      if (isPosInt(e['line']) && isPosInt(e['column'])) Object.assign(failure, { line: e['line'], column: e['column'] });
      return { type: 'error', error: failure };
    }
    default:
      return 'unknown worker message type';
  }
}
